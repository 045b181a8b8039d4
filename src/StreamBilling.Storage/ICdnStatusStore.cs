namespace StreamBilling.Storage;

/// <summary>CDN distribution status per customer, changed at most once per cause (cap decision or operator command).</summary>
public interface ICdnStatusStore
{
    /// <summary>The customer's status, or null when it never changed (a distribution starts <see cref="DistributionStatus.Enabled"/>).</summary>
    Task<CdnStatusRecord?> GetAsync(string customerId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies <paramref name="update"/> atomically unless its <see cref="CdnStatusUpdate.CauseId"/> was applied before:
    /// the cause is remembered, and the status is written when it differs from the current one.
    /// </summary>
    Task<CdnStatusTransition> ApplyAsync(CdnStatusUpdate update, CancellationToken cancellationToken = default);
}
