using StreamBilling.Storage;

namespace StreamBilling.Api;

/// <summary>Answer of <c>GET /v1/cdn/registry</c> (operators only): the whole CDN registry, buckets included.</summary>
/// <param name="Distributions">Every row, by customer then distribution id.</param>
internal sealed record CdnRegistryResponse(IReadOnlyList<RegisteredCdnDistribution> Distributions);
