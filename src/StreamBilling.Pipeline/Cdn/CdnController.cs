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
/// <para>
/// The distributions a cap disables are the customer's rows of the CDN registry when the decision is applied (not the
/// distribution a sample named); the status keeps them, so an operator enable re-enables exactly those and a
/// re-published change names the same ones.
/// </para>
/// </remarks>
/// <param name="store">Status store.</param>
/// <param name="registry">The CDN registry: which distributions each customer has.</param>
/// <param name="timeProvider">Clock for <c>changedAt</c>.</param>
/// <param name="source">Value of the events' <c>source</c> field.</param>
public sealed class CdnController(ICdnStatusStore store, ICdnDistributionStore registry, TimeProvider timeProvider, string source = "streambilling.cdn-controller")
{
    private const string OperatorEnableReason = "operator enable";
    private readonly ICdnStatusStore _store = store ?? throw new ArgumentNullException(nameof(store));
    private readonly ICdnDistributionStore _registry = registry ?? throw new ArgumentNullException(nameof(registry));
    private readonly TimeProvider _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));

    /// <summary>
    /// Disables the decision's customer's distributions (from the registry); returns the event to publish, or null when
    /// the status did not change. A customer the registry holds no distribution of is still recorded as capped, with no
    /// distribution: the event's <c>distributions</c> is empty and its <c>distributionId</c> too.
    /// </summary>
    public async Task<CdnStatusChanged?> ApplyAsync(CdnCapDecision decision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var reason = string.Create(
            CultureInfo.InvariantCulture,
            $"cap {decision.limitBytes / (decimal)CdnCapLimit.BytesPerGb:0.###} GB/{CapWindowName(decision)} exceeded: {decision.totalBytes / (decimal)CdnCapLimit.BytesPerGb:0.###} GB in [{decision.windowStart:yyyy-MM-ddTHH:mm}Z, {decision.windowEnd:yyyy-MM-ddTHH:mm}Z)");
        var distributions = (await _registry.ListDistributionsAsync(decision.customerId, cancellationToken)).Select(r => r.Distribution).ToList();
        var update = new CdnStatusUpdate(decision.customerId, distributions.FirstOrDefault()?.DistributionId ?? string.Empty, DistributionStatus.Disabled, decision.eventId, reason, _timeProvider.GetUtcNow())
        {
            Distributions = distributions.Count == 0 ? [] : distributions,
        };
        return Outcome(await _store.ApplyAsync(update, cancellationToken), decision.eventId);
    }

    /// <summary>
    /// Re-enables <paramref name="customerId"/>'s distribution (an explicit operator command); returns the event to publish,
    /// or null when it is not disabled. Running the command twice changes the status once.
    /// </summary>
    public Task<CdnStatusChanged?> EnableAsync(string customerId, CancellationToken cancellationToken = default) =>
        EnableAsync(customerId, reason: null, cancellationToken);

    /// <summary>
    /// <see cref="EnableAsync(string, CancellationToken)"/> with the operator's <paramref name="reason"/> recorded in the
    /// status (<c>operator enable: reason</c>); a repeated command keeps the reason of the first.
    /// </summary>
    public async Task<CdnStatusChanged?> EnableAsync(string customerId, string? reason, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(customerId);
        var current = await _store.GetAsync(customerId, cancellationToken);
        if (current is null || current.Status == DistributionStatus.Enabled)
        {
            return null;
        }

        // The command is identified by what it undoes, so a repeated command is the same command.
        var causeId = DeterministicId.FromParts("cdn-operator-enable", customerId, current.CauseId);
        var stated = string.IsNullOrWhiteSpace(reason) ? OperatorEnableReason : $"{OperatorEnableReason}: {reason.Trim()}";
        var update = new CdnStatusUpdate(customerId, current.DistributionId, DistributionStatus.Enabled, causeId, stated, _timeProvider.GetUtcNow())
        {
            Distributions = current.Distributions,
        };
        return Outcome(await _store.ApplyAsync(update, cancellationToken), causeId);
    }

    /// <summary>
    /// The event of the change that set <paramref name="customerId"/>'s current status, rebuilt from the store (same id
    /// and content as when it was first returned), or null when the status never changed. Publishing it again repairs a
    /// publish lost after the change was stored; the compacted status topic keeps one copy.
    /// </summary>
    public async Task<CdnStatusChanged?> CurrentChangeAsync(string customerId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(customerId);
        var current = await _store.GetAsync(customerId, cancellationToken);
        return current is null ? null : ToEvent(current);
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

        return ToEvent(current);
    }

    private CdnStatusChanged ToEvent(CdnStatusRecord current) =>
        new()
        {
            eventId = StatusChangeId(current.CauseId),
            source = source,
            customerId = current.CustomerId,
            distributionId = current.DistributionId,
            status = ToAvro(current.Status),
            previousStatus = ToAvro(current.Status == DistributionStatus.Disabled ? DistributionStatus.Enabled : DistributionStatus.Disabled),
            reason = current.Reason,
            causeEventId = current.CauseId,
            changedAt = AvroTime.To(current.ChangedAt),
            distributions = [.. current.Distributions.Select(d => new CdnDistributionRef { distributionId = d.DistributionId, domainName = d.DomainName, bucket = d.Bucket })],
        };

    private static CdnDistributionStatus ToAvro(DistributionStatus status) =>
        status == DistributionStatus.Disabled ? CdnDistributionStatus.Disabled : CdnDistributionStatus.Enabled;
}
