using System.Globalization;
using StreamBilling.Events.Cdn;
using StreamBilling.Events.Outputs;

namespace StreamBilling.Pipeline.Cdn;

/// <summary>
/// Sums CloudWatch CDN bytes per customer in hopping windows (one window store per cap) and emits one
/// <see cref="CdnCapDecision"/> per crossing.
/// </summary>
/// <remarks>
/// Written on the processor API rather than the DSL's windowed aggregate because the input must be de-duplicated by
/// eventId first (a re-sent sample would otherwise count twice and could trip a cap), and the DSL would put a repartition
/// topic between a processor and the aggregation. A crossing is the first window of a cap whose total exceeds the limit;
/// later windows of the same cap that exceed it while overlapping a window already crossed belong to the same crossing
/// (the same burst), so one burst gives one decision per cap instead of one per hopping window. Windows are assigned by the sample's periodStart
/// (usage time) and closed by stream time (publish time) passing end + grace.
/// </remarks>
internal sealed class CdnCapProcessor(
    CdnCapOptions options,
    CdnCapStores stores,
    ISerde<CdnTraffic> trafficSerde) : IProcessor<string, CdnTraffic>
{
    private readonly TimeWindows[] _windows = [.. options.Limits.Select(l => TimeWindows.Hopping(l.Window, l.Advance, options.Grace))];
    private IProcessorContext _context = null!;
    private IWindowStore<string, byte> _seen = null!;
    private IWindowStore<string, CapWindow>[] _totals = null!;
    private IKeyValueStore<string, long> _decided = null!;

    public void Init(IProcessorContext context)
    {
        _context = context;
        _seen = context.GetStateStore<IWindowStore<string, byte>>(stores.Seen);
        _totals = [.. stores.Windows.Select(name => context.GetStateStore<IWindowStore<string, CapWindow>>(name))];
        _decided = context.GetStateStore<IKeyValueStore<string, long>>(stores.Decided);
    }

    public void Process(Record<string, CdnTraffic> record)
    {
        var traffic = record.Value;
        var usageTime = AvroTime.From(traffic.periodStart);
        if (IsDuplicate(traffic.eventId, usageTime))
        {
            return;
        }

        var streamTime = _context.StreamTime;
        var counted = 0;
        var closed = 0;
        for (var i = 0; i < _windows.Length; i++)
        {
            var windows = _windows[i];
            var (first, last) = windows.WindowStartsFor(usageTime);
            for (var start = first; start <= last; start += windows.Advance)
            {
                if (windows.IsClosed(start, streamTime))
                {
                    closed++;
                    continue;
                }

                counted++;
                Add(i, record, start);
            }
        }

        if (closed > 0)
        {
            // Never dropped silently; a sample late for only some windows still counted in the open ones.
            _context.SendToLateRecords(record, counted == 0 ? "window-closed" : "window-partly-closed", Serdes.Utf8, trafficSerde);
        }
    }

    public void Close()
    {
    }

    private bool IsDuplicate(string eventId, DateTimeOffset usageTime)
    {
        // Keyed by the sample's own minute: the window store expires ids once no cap window can take the sample any more.
        var bucket = new DateTimeOffset(usageTime.UtcTicks - (usageTime.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
        if (_seen.TryGet(eventId, bucket, out _))
        {
            return true;
        }

        _seen.Put(eventId, 1, bucket);
        return false;
    }

    private void Add(int cap, Record<string, CdnTraffic> record, DateTimeOffset start)
    {
        var traffic = record.Value;
        var store = _totals[cap];
        var customer = traffic.customerId;
        var current = store.TryGet(customer, start, out var existing) ? existing : new CapWindow(0, Crossed: false);
        var total = current.Total + traffic.bytes;
        var limit = options.Limits[cap];
        var crossesNow = !current.Crossed && total > limit.LimitBytes;
        store.Put(customer, new CapWindow(total, current.Crossed || crossesNow), start);
        if (crossesNow)
        {
            Decide(cap, record, start, total);
        }
    }

    private void Decide(int cap, Record<string, CdnTraffic> record, DateTimeOffset start, long total)
    {
        var limit = options.Limits[cap];
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
            source = options.Source,
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

    /// <summary>Customer + window + limit, as the schema defines the decision id.</summary>
    internal static string DecisionId(string customerId, CdnCapLimit limit, DateTimeOffset windowStart) =>
        DeterministicId.FromParts(
            "cdn-cap",
            customerId,
            limit.Name,
            windowStart.UtcTicks.ToString(CultureInfo.InvariantCulture),
            limit.LimitBytes.ToString(CultureInfo.InvariantCulture));
}
