using System.Globalization;
using StreamBilling.Events.Ec2;
using StreamBilling.Events.Outputs;

namespace StreamBilling.Pipeline.Sessions;

/// <summary>
/// Joins launches and terminates of one instance id in a store and emits the session as <see cref="UsageSegment"/> slices.
/// </summary>
/// <remarks>
/// Slice design (why the pipeline's invoice equals the batch bill): every slice lies inside one UTC hour, so also inside
/// one month, and the slices of a session are contiguous. A slice is identified by (session, slice start) only; billing
/// prices it as <c>ceilHours(end - from) - ceilHours(start - from)</c> with <c>from = max(sessionStart, month start)</c>
/// (<see cref="SegmentHours"/>), which telescopes to <c>ceil(month piece / 1 h)</c>: the engine's rounding, applied once
/// per (usage event, month piece), never per slice. While a session is open, every completed hour is reported as an
/// interim slice (so month-to-date cost and rollups include running instances); the terminate emits the remaining slices
/// and marks the one holding the end as final. Only that slice names the terminate (sessionEnd, its event id): the others
/// read the same whether they were reported before or after the terminate arrived. A terminate that arrives after interim slices beyond its time were
/// reported re-emits those slice ids shortened (the one holding the end) or empty (later ones): sinks upsert by id, so
/// the corrected session replaces the provisional one instead of adding to it.
/// </remarks>
internal sealed class InstanceSessionJoin(InstanceSessionOptions options, ISerde<InstanceTerminated> terminatedSerde) : IProcessor<string, InstanceEvent>
{
    /// <summary>Late reason of a launch and terminate that contradict each other: the terminate is timestamped before the launch.</summary>
    public const string TerminateBeforeLaunch = "terminate-before-launch";

    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    // The late topic's Avro subject holds InstanceTerminated, which cannot read an InstanceLaunched: a rejected launch
    // goes there as JSON (its bytes start with '{', an Avro record with the magic byte 0).
    private static readonly ISerde<InstanceEvent> LaunchJson = PipelineJson.Serde<InstanceEvent>();

    private IProcessorContext _context = null!;
    private IKeyValueStore<string, InstanceState> _store = null!;

    public void Init(IProcessorContext context)
    {
        _context = context;
        _store = context.GetStateStore<IKeyValueStore<string, InstanceState>>(options.StoreName);
        context.Schedule(Hour, PunctuationType.StreamTime, OnStreamHour);
    }

    public void Process(Record<string, InstanceEvent> record)
    {
        var e = record.Value;
        var state = _store.TryGet(e.InstanceId, out var existing) ? existing : new InstanceState();
        if (IsDuplicate(state, e))
        {
            return;
        }

        if (e.IsLaunch)
        {
            Launch(state, e);
        }
        else
        {
            Terminate(state, e);
        }

        Save(e.InstanceId, state);
    }

    public void Close()
    {
    }

    private static bool IsDuplicate(InstanceState state, InstanceEvent e) =>
        e.IsLaunch
            ? state.Open.Exists(o => o.Launch.EventId == e.EventId) || state.Closed.Exists(c => c.LaunchEventId == e.EventId)
            : state.Orphans.Exists(o => o.EventId == e.EventId) || state.Closed.Exists(c => c.TerminateEventId == e.EventId);

    private void Launch(InstanceState state, InstanceEvent launch)
    {
        // Out of order: the earliest waiting terminate at or after the launch ends this session.
        var terminate = state.Orphans.Where(o => o.Time >= launch.Time).MinBy(o => o.Time);
        if (terminate is not null)
        {
            state.Orphans.Remove(terminate);
            CloseSession(state, new OpenSession(launch, launch.Time), terminate);
            return;
        }

        // Only a terminate before the launch waits: the same pair is rejected whichever of the two arrives first.
        var earlier = state.Orphans.Where(o => o.Time < launch.Time).MaxBy(o => o.Time);
        if (earlier is not null)
        {
            state.Orphans.Remove(earlier);
            RejectPair(state, new OpenSession(launch, launch.Time), earlier);
            return;
        }

        // A launch arriving after stream time passed some of its hours reports them at once, as the punctuator would have.
        state.Open.Add(ReportCompletedHours(new OpenSession(launch, launch.Time), ReportBound(_context.StreamTime)));
    }

    private void Terminate(InstanceState state, InstanceEvent terminate)
    {
        // Sessions of one instance do not overlap: the terminate ends the latest session launched at or before it.
        var session = state.Open.Where(o => o.Launch.Time <= terminate.Time).MaxBy(o => o.Launch.Time);
        if (session is null)
        {
            // The running session it would end started after it: billing that session every hour until the orphan
            // retention runs out would charge for a contradiction, so the pair is rejected now.
            var later = state.Open.MinBy(o => o.Launch.Time);
            if (later is not null)
            {
                state.Open.Remove(later);
                RejectPair(state, later, terminate);
                return;
            }

            state.Orphans.Add(terminate);
            return;
        }

        state.Open.Remove(session);
        CloseSession(state, session, terminate);
    }

    private void CloseSession(InstanceState state, OpenSession session, InstanceEvent terminate)
    {
        var start = session.Launch.Time;
        var end = terminate.Time;

        // The slice holding the session's last instant (or the empty slice of an empty session) is the final one.
        var finalStart = end == start ? start : Max(start, AvroTime.HourOf(end - TimeSpan.FromTicks(1)));
        var cursor = Min(session.ReportedUntil, finalStart);
        while (cursor < finalStart)
        {
            // Written as an interim slice would be (no terminate): a slice's content must not depend on whether it was
            // reported before the terminate arrived.
            var next = AvroTime.HourOf(cursor) + Hour;
            Emit(session.Launch, terminate: null, cursor, next, isFinal: false);
            cursor = next;
        }

        Emit(session.Launch, terminate, finalStart, end, isFinal: true);

        // Interim slices reported past the end (the terminate came late) are voided under their own ids.
        for (var hour = AvroTime.HourOf(finalStart) + Hour; hour < session.ReportedUntil; hour += Hour)
        {
            Emit(session.Launch, terminate, hour, hour, isFinal: false);
        }

        state.Closed.Add(new ClosedSession(session.Launch.EventId, terminate.EventId, end));
    }

    /// <summary>
    /// Sends a launch and a terminate timestamped before it to the late-records topic, both with
    /// <see cref="TerminateBeforeLaunch"/>; interim slices already reported for the launch are voided under their ids, so
    /// the session bills nothing. The pair is remembered as closed so a re-sent copy of either is a duplicate.
    /// </summary>
    private void RejectPair(InstanceState state, OpenSession session, InstanceEvent terminate)
    {
        var launch = session.Launch;
        for (var cursor = launch.Time; cursor < session.ReportedUntil; cursor = AvroTime.HourOf(cursor) + Hour)
        {
            Emit(launch, terminate: null, cursor, cursor, isFinal: false);
        }

        _context.SendToLateRecords(new Record<string, InstanceEvent>(launch.InstanceId, launch, launch.Time), TerminateBeforeLaunch, Serdes.Utf8, LaunchJson);
        _context.SendToLateRecords(new Record<string, InstanceTerminated>(terminate.InstanceId, terminate.ToTerminated(), terminate.Time), TerminateBeforeLaunch, Serdes.Utf8, terminatedSerde);
        state.Closed.Add(new ClosedSession(launch.EventId, terminate.EventId, launch.Time));
    }

    private OpenSession ReportCompletedHours(OpenSession session, DateTimeOffset bound)
    {
        var cursor = session.ReportedUntil;
        while (cursor < bound)
        {
            var next = AvroTime.HourOf(cursor) + Hour;
            Emit(session.Launch, terminate: null, cursor, next, isFinal: false);
            cursor = next;
        }

        return cursor == session.ReportedUntil ? session : session with { ReportedUntil = cursor };
    }

    private void OnStreamHour(DateTimeOffset streamTime)
    {
        var bound = ReportBound(streamTime);
        foreach (var (instanceId, state) in _store.All().ToList())
        {
            var changed = false;
            for (var i = 0; i < state.Open.Count; i++)
            {
                var reported = ReportCompletedHours(state.Open[i], bound);
                if (!ReferenceEquals(reported, state.Open[i]))
                {
                    state.Open[i] = reported;
                    changed = true;
                }
            }

            changed |= state.Closed.RemoveAll(c => streamTime - c.End > options.DuplicateRetention) > 0;
            foreach (var orphan in state.Orphans.Where(o => streamTime - o.Time > options.OrphanRetention).ToList())
            {
                // Never dropped silently: a terminate whose launch never came is reported with the reason.
                _context.SendToLateRecords(
                    new Record<string, InstanceTerminated>(orphan.InstanceId, orphan.ToTerminated(), orphan.Time),
                    "terminate-without-launch",
                    Serdes.Utf8,
                    terminatedSerde);
                state.Orphans.Remove(orphan);
                changed = true;
            }

            if (changed)
            {
                Save(instanceId, state);
            }
        }
    }

    private DateTimeOffset ReportBound(DateTimeOffset streamTime) =>
        streamTime == DateTimeOffset.MinValue || streamTime - DateTimeOffset.MinValue < options.InterimDelay
            ? DateTimeOffset.MinValue
            : AvroTime.HourOf(streamTime - options.InterimDelay);

    private void Emit(InstanceEvent launch, InstanceEvent? terminate, DateTimeOffset sliceStart, DateTimeOffset sliceEnd, bool isFinal)
    {
        var sessionId = SessionIdOf(launch);
        var id = SegmentId(sessionId, sliceStart);
        var segment = new UsageSegment
        {
            eventId = id,
            source = options.Source,
            accountId = launch.AccountId,
            sessionId = sessionId,
            instanceId = launch.InstanceId,
            instanceType = launch.InstanceType,
            region = launch.Region,
            role = launch.Role,
            os = launch.Os,
            purchaseOption = launch.PurchaseOption,
            sessionStart = AvroTime.To(launch.Time),
            sessionEnd = terminate is null ? null : AvroTime.To(terminate.Time),
            segmentStart = AvroTime.To(sliceStart),
            segmentEnd = AvroTime.To(sliceEnd),
            isFinal = isFinal,
            sourceEventIds = terminate is null ? [launch.EventId] : [launch.EventId, terminate.EventId],
        };
        _context.Forward(new Record<string, UsageSegment>(launch.AccountId, segment, sliceStart) { Id = id });
    }

    private void Save(string instanceId, InstanceState state)
    {
        if (state.IsEmpty)
        {
            _store.Delete(instanceId);
        }
        else
        {
            _store.Put(instanceId, state);
        }
    }

    /// <summary>Session id as the schema defines it: instance id plus the launch event id.</summary>
    internal static string SessionIdOf(InstanceEvent launch) => $"{launch.InstanceId}/{launch.EventId}";

    /// <summary>A slice is identified by its session and its start; a later version of the slice replaces the earlier one.</summary>
    internal static string SegmentId(string sessionId, DateTimeOffset sliceStart) =>
        DeterministicId.FromParts("usage-segment", sessionId, sliceStart.UtcTicks.ToString(CultureInfo.InvariantCulture));

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
