using StreamBilling.Storage;

namespace StreamBilling.Api;

/// <summary>A customer's CDN distribution status (<c>GET /v1/customers/{customerId}/cdn</c>).</summary>
/// <param name="CustomerId">Customer.</param>
/// <param name="DistributionId">CloudFront distribution.</param>
/// <param name="Status"><c>Enabled</c> or <c>Disabled</c>.</param>
/// <param name="ChangedAt">When the status was set (UTC).</param>
/// <param name="CauseId">Id of the cap decision or operator command that set it.</param>
/// <param name="Reason">Why.</param>
/// <param name="Distributions">The distributions the change applied to, as the CDN registry named them (the first is <paramref name="DistributionId"/>).</param>
internal sealed record CdnStatusResponse(string CustomerId, string DistributionId, DistributionStatus Status, DateTimeOffset ChangedAt, string CauseId, string Reason, IReadOnlyList<CdnDistributionItem> Distributions)
{
    public static CdnStatusResponse From(CdnStatusRecord record) =>
        new(record.CustomerId, record.DistributionId, record.Status, record.ChangedAt.ToUniversalTime(), record.CauseId, record.Reason, [.. record.Distributions.Select(CdnDistributionItem.From)]);
}
