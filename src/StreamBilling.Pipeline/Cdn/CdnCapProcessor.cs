using System.Globalization;
using StreamBilling.Events.Cdn;
using StreamBilling.Events.Outputs;

namespace StreamBilling.Pipeline.Cdn;

/// <summary>
/// Sums CloudWatch CDN bytes per customer in hopping windows (one slice store per cap) and emits one
/// <see cref="CdnCapDecision"/> per crossing.
/// </summary>
/// <remarks>
/// Written on the processor API rather than the DSL's windowed aggregate because the input must be de-duplicated by
/// eventId first (a re-sent sample would otherwise count twice and could trip a cap), and the DSL would put a repartition
/// topic between a processor and the aggregation. Each cap's store keeps byte totals per slice (the gcd of window and
/// advance: 1 min for 15 min/1 min, 5 min for 3 h/5 min), so a sample costs one store update per cap; the totals of the
/// windows holding the sample are summed from slices. Bytes are never negative, so a window's total only grows and it
/// crosses exactly when its total exceeds the limit and its total before this sample did not. A crossing is the first
/// window of a cap that exceeds the limit; later windows of the same cap that exceed it while overlapping a window
/// already crossed belong to the same crossing (the same burst), so one burst gives one decision per cap instead of one
/// per hopping window. Windows are assigned by the sample's periodStart (usage time) and closed by stream time (publish
/// time) passing end + grace.
/// </remarks>
internal sealed class CdnCapProcessor : IProcessor<string, CdnTraffic>
{
    private readonly CdnCapOptions _options;
    private readonly CdnCapStores _stores;
    private readonly ISerde<CdnTraffic> _trafficSerde;
    private readonly TimeWindows[] _windows;
    private readonly long[] _sliceTicks;
    private IProcessorContext _context = null!;
    private IWindowStore<string, long> _seen = null!;
    private IWindowStore<string, long>[] _slices = null!;
    private IKeyValueStore<string, long> _decided = null!;
    private long[] _totals = [];

    public CdnCapProcessor(CdnCapOptions options, CdnCapStores stores, ISerde<CdnTraffic> trafficSerde)
    {
        _options = options;
        _stores = stores;
        _trafficSerde = trafficSerde;
        _windows = [.. options.Limits.Select(l => TimeWindows.Hopping(l.Window, l.Advance, options.Grace))];
        _sliceTicks = [.. options.Limits.Select(l => SliceOf(l).Ticks)];
    }

    /// <summary>Slice length of a cap: the largest span that divides both window and advance.</summary>
    public static TimeSpan SliceOf(CdnCapLimit limit) => TimeSpan.FromTicks(Gcd(limit.Window.Ticks, limit.Advance.Ticks));

    public void Init(IProcessorContext context)
    {
        _context = context;
        _seen = context.GetStateStore<IWindowStore<string, long>>(_stores.Seen);
        _slices = [.. _stores.Windows.Select(name => context.GetStateStore<IWindowStore<string, long>>(name))];
        _decided = context.GetStateStore<IKeyValueStore<string, long>>(_stores.Decided);
    }

    public void Process(Record<string, CdnTraffic> record)
    {
        var traffic = record.Value;
        if (traffic.bytes < 0 || string.IsNullOrEmpty(traffic.customerId))
        {
            _context.SendToLateRecords(record, "invalid-sample", Serdes.Utf8, _trafficSerde);
            return;
        }

        var usageTime = AvroTime.From(traffic.periodStart);
        if (IsDuplicate(traffic.eventId, usageTime))
        {
            return;
        }

        var streamTime = _context.StreamTime;
        var counted = 0;
        var closed = 0;
        for (var cap = 0; cap < _windows.Length; cap++)
        {
            var windows = _windows[cap];
            var (first, last) = windows.WindowStartsFor(usageTime);

            // Close times grow with the start, so the closed windows are the oldest ones.
            var firstOpen = first;
            while (firstOpen <= last && windows.IsClosed(firstOpen, streamTime))
            {
                firstOpen += windows.Advance;
                closed++;
            }

            if (firstOpen > last)
            {
                continue;
            }

            counted++;
            Count(cap, record, usageTime, firstOpen, last);
        }

        if (closed > 0)
        {
            // Never dropped silently; a sample late for only some windows still counted in the open ones.
            _context.SendToLateRecords(record, counted == 0 ? "window-closed" : "window-partly-closed", Serdes.Utf8, _trafficSerde);
        }
    }

    public void Close()
    {
    }

    /// <summary>Customer + window + limit, as the schema defines the decision id.</summary>
    internal static string DecisionId(string customerId, CdnCapLimit limit, DateTimeOffset windowStart) =>
        DeterministicId.FromParts(
            "cdn-cap",
            customerId,
            limit.Name,
            windowStart.UtcTicks.ToString(CultureInfo.InvariantCulture),
            limit.LimitBytes.ToString(CultureInfo.InvariantCulture));

    private static long Gcd(long a, long b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }

    private bool IsDuplicate(string eventId, DateTimeOffset usageTime)
    {
        // Keyed by the sample's own minute: the window store expires ids once no cap window can take the sample any more.
        var bucket = new DateTimeOffset(usageTime.UtcTicks - (usageTime.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
        if (_seen.TryGet(eventId, bucket, out _))
        {
            return true;
        }

        _seen.Put(eventId, 0, bucket);
        return false;
    }

    private void Count(int cap, Record<string, CdnTraffic> record, DateTimeOffset usageTime, DateTimeOffset firstOpen, DateTimeOffset lastStart)
    {
        var traffic = record.Value;
        var customer = traffic.customerId;
        var store = _slices[cap];
        var slice = _sliceTicks[cap];
        var sliceStart = new DateTimeOffset(usageTime.UtcTicks - ((usageTime.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) % slice), TimeSpan.Zero);
        store.Put(customer, (store.TryGet(customer, sliceStart, out var sliceBytes) ? sliceBytes : 0) + traffic.bytes, sliceStart);

        // Slice totals from the first open window's start to the last window's end, as running sums.
        var limit = _options.Limits[cap];
        var window = limit.Window.Ticks;
        var slicesPerWindow = (int)(window / slice);
        var span = (int)(((lastStart.UtcTicks - firstOpen.UtcTicks) / slice) + slicesPerWindow);
        if (_totals.Length < span + 1)
        {
            _totals = new long[span + 1];
        }

        Array.Clear(_totals, 0, span + 1);
        foreach (var (key, bytes) in store.Fetch(customer, firstOpen, lastStart + limit.Window - TimeSpan.FromTicks(slice)))
        {
            _totals[((key.Start.UtcTicks - firstOpen.UtcTicks) / slice) + 1] = bytes;
        }

        for (var i = 1; i <= span; i++)
        {
            _totals[i] += _totals[i - 1];
        }

        for (var start = firstOpen; start <= lastStart; start += _windows[cap].Advance)
        {
            var offset = (int)((start.UtcTicks - firstOpen.UtcTicks) / slice);
            var total = _totals[offset + slicesPerWindow] - _totals[offset];
            if (total > limit.LimitBytes && total - traffic.bytes <= limit.LimitBytes)
            {
                Decide(cap, record, start, total);
            }
        }
    }

    private void Decide(int cap, Record<string, CdnTraffic> record, DateTimeOffset start, long total)
    {
        var limit = _options.Limits[cap];
        var end = start + limit.Window;
        var customer = record.Value.customerId;
        var crossingKey = $"{customer}|{limit.Name}";
        if (_decided.TryGet(crossingKey, out var decidedUntil) && start.UtcTicks < decidedUntil)
        {
            // Overlaps a window already crossed in this burst: the same crossing, which a continuing burst keeps extending.
            if (end.UtcTicks > decidedUntil)
            {
                _decided.Put(crossingKey, end.UtcTicks);
            }

            return;
        }

        _decided.Put(crossingKey, end.UtcTicks);
        var id = DecisionId(customer, limit, start);
        var decision = new CdnCapDecision
        {
            eventId = id,
            source = _options.Source,
            customerId = customer,
            distributionId = record.Value.distributionId,
            windowStart = AvroTime.To(start),
            windowEnd = AvroTime.To(end),
            totalBytes = total,
            limitBytes = limit.LimitBytes,
            decidedAt = AvroTime.To(_context.StreamTime),
            sourceEventIds = [record.Value.eventId],
        };
        _context.Forward(new Record<string, CdnCapDecision>(customer, decision, record.Timestamp) { Id = id });
    }
}
