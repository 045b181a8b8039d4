namespace StreamBilling.Storage;

/// <summary>What <see cref="ICdnStatusStore.ApplyAsync"/> did.</summary>
/// <param name="AlreadyApplied">True when the cause had been applied before: nothing was written.</param>
/// <param name="Previous">Status before the update (<see cref="DistributionStatus.Enabled"/> when none was stored).</param>
/// <param name="Current">Status after the update (null only when none was ever stored and nothing was written).</param>
public sealed record CdnStatusTransition(bool AlreadyApplied, DistributionStatus Previous, CdnStatusRecord? Current)
{
    /// <summary>True when this call changed the status.</summary>
    public bool Changed => !AlreadyApplied && Current is not null && Current.Status != Previous;
}
