using System.Globalization;
using StreamBilling.Events.Outputs;
using StreamBilling.Storage;

namespace StreamBilling.Pipeline.Cdn;

/// <summary>
/// Applies CDN cap decisions and operator commands to the status store and says which <see cref="CdnStatusChanged"/>
/// to publish (key customerId, topic <c>cdn.status</c>). Kafka-free: the consumer loop around it only moves records.
/// </summary>
/// <remarks>
/// Idempotent by cause id: a decision applied before changes nothing. Publishing is at least once: when a decision is
/// re-delivered after its status change was stored (e.g. a crash before the event was sent), the same event (same id,
/// same content, rebuilt from the store) is returned again, and the compacted status topic keeps one copy.
/// </remarks>
/// <param name="store">Status store.</param>
/// <param name="timeProvider">Clock for <c>changedAt</c>.</param>
/// <param name="source">Value of the events' <c>source</c> field.</param>
public sealed class CdnController(ICdnStatusStore store, TimeProvider timeProvider, string source = "streambilling.cdn-controller")
{
    private const string OperatorEnableReason = "operator enable";
    private readonly ICdnStatusStore _store = store ?? throw new ArgumentNullException(nameof(store));
    private readonly TimeProvider _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));

    /// <summary>Disables the decision's distribution; returns the event to publish, or null when the status did not change.</summary>
    public async Task<CdnStatusChanged?> ApplyAsync(CdnCapDecision decision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var reason = string.Create(
            CultureInfo.InvariantCulture,
            $"cap {decision.limitBytes / (decimal)CdnCapLimit.BytesPerGb:0.###} GB/{CapWindowName(decision)} exceeded: {decision.totalBytes / (decimal)CdnCapLimit.BytesPerGb:0.###} GB in [{decision.windowStart:yyyy-MM-ddTHH:mm}Z, {decision.windowEnd:yyyy-MM-ddTHH:mm}Z)");
        var update = new CdnStatusUpdate(decision.customerId, decision.distributionId, DistributionStatus.Disabled, decision.eventId, reason, _timeProvider.GetUtcNow());
        return Outcome(await _store.ApplyAsync(update, cancellationToken), decision.eventId);
    }

    /// <summary>
    /// Re-enables <paramref name="customerId"/>'s distribution (an explicit operator command); returns the event to publish,
    /// or null when it is not disabled. Running the command twice changes the status once.
    /// </summary>
    public async Task<CdnStatusChanged?> EnableAsync(string customerId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(customerId);
        var current = await _store.GetAsync(customerId, cancellationToken);
        if (current is null || current.Status == DistributionStatus.Enabled)
        {
            return null;
        }

        // The command is identified by what it undoes, so a repeated command is the same command.
        var causeId = DeterministicId.FromParts("cdn-operator-enable", customerId, current.CauseId);
        var update = new CdnStatusUpdate(customerId, current.DistributionId, DistributionStatus.Enabled, causeId, OperatorEnableReason, _timeProvider.GetUtcNow());
        return Outcome(await _store.ApplyAsync(update, cancellationToken), causeId);
    }

    /// <summary>Id of the status change caused by <paramref name="causeId"/>.</summary>
    public static string StatusChangeId(string causeId) => DeterministicId.FromParts("cdn-status-changed", causeId);

    private static string CapWindowName(CdnCapDecision decision) => CdnCapLimit.NameOf(decision.windowEnd - decision.windowStart);

    private CdnStatusChanged? Outcome(CdnStatusTransition transition, string causeId)
    {
        // Changed now, or changed by this very cause earlier (re-delivery): publish; otherwise nothing happened.
        var current = transition.Current;
        if (current is null || current.CauseId != causeId || (!transition.Changed && !transition.AlreadyApplied))
        {
            return null;
        }

        return new CdnStatusChanged
        {
            eventId = StatusChangeId(causeId),
            source = source,
            customerId = current.CustomerId,
            distributionId = current.DistributionId,
            status = ToAvro(current.Status),
            previousStatus = ToAvro(current.Status == DistributionStatus.Disabled ? DistributionStatus.Enabled : DistributionStatus.Disabled),
            reason = current.Reason,
            causeEventId = causeId,
            changedAt = AvroTime.To(current.ChangedAt),
        };
    }

    private static CdnDistributionStatus ToAvro(DistributionStatus status) =>
        status == DistributionStatus.Disabled ? CdnDistributionStatus.Disabled : CdnDistributionStatus.Enabled;
}
