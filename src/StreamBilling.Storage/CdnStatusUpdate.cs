namespace StreamBilling.Storage;

/// <summary>A requested status change, identified by its cause.</summary>
/// <param name="CustomerId">Customer.</param>
/// <param name="DistributionId">CloudFront distribution.</param>
/// <param name="Status">Status to set.</param>
/// <param name="CauseId">Id of the cap decision or operator command (applied once).</param>
/// <param name="Reason">Why the status changes.</param>
/// <param name="ChangedAt">When (UTC).</param>
public sealed record CdnStatusUpdate(string CustomerId, string DistributionId, DistributionStatus Status, string CauseId, string Reason, DateTimeOffset ChangedAt)
{
    /// <summary>
    /// The customer's distributions the change applies to, as the CDN registry named them then (empty when the registry held none
    /// for the customer, or for a change stored before the registry existed).
    /// </summary>
    public IReadOnlyList<CdnDistribution> Distributions { get; init; } = [];
}
