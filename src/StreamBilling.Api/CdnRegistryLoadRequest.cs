using StreamBilling.Storage;

namespace StreamBilling.Api;

/// <summary>Body of <c>POST /v1/cdn/registry</c> as the OpenAPI document describes it (the registry file's JSON form).</summary>
/// <param name="Distributions">Rows to add or update.</param>
internal sealed record CdnRegistryLoadRequest(IReadOnlyList<CdnDistribution> Distributions);
