namespace StreamBilling.Api;

/// <summary>Answer of <c>POST /v1/cdn/registry</c>: what the load wrote.</summary>
/// <param name="Loaded">Distributions written (added or updated).</param>
/// <param name="Customers">Distinct customers among them.</param>
internal sealed record CdnRegistryLoadResponse(int Loaded, int Customers);
