namespace StreamBilling.Api;

/// <summary>Answer of <c>GET /v1/customers/{customerId}/cdn/distributions</c>: the customer's rows of the CDN registry.</summary>
/// <param name="CustomerId">Customer.</param>
/// <param name="Distributions">Its distributions, by distribution id (empty when the registry holds none).</param>
internal sealed record CdnDistributionListResponse(string CustomerId, IReadOnlyList<CdnDistributionItem> Distributions);
