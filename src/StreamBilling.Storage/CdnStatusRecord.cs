namespace StreamBilling.Storage;

/// <summary>A customer's current distribution status and the change that set it.</summary>
/// <param name="CustomerId">Customer.</param>
/// <param name="DistributionId">CloudFront distribution.</param>
/// <param name="Status">Current status.</param>
/// <param name="ChangedAt">When it was set (UTC).</param>
/// <param name="CauseId">Id of the cap decision or operator command that set it.</param>
/// <param name="Reason">Why, e.g. <c>cap 100 GB/15m exceeded</c>.</param>
public sealed record CdnStatusRecord(string CustomerId, string DistributionId, DistributionStatus Status, DateTimeOffset ChangedAt, string CauseId, string Reason)
{
    /// <summary>
    /// The customer's distributions the change set, as the CDN registry named them then (empty when the registry held none
    /// for the customer, or for a change stored before the registry existed).
    /// </summary>
    public IReadOnlyList<CdnDistribution> Distributions { get; init; } = [];
}
