using System.Globalization;
using StreamBilling.Events.Cdn;
using StreamBilling.Events.Outputs;

using StreamBilling.Pipeline.Telemetry;

namespace StreamBilling.Pipeline.Cdn;

/// <summary>
/// Sums CloudWatch CDN bytes per customer in hopping windows (one slice store per cap) and emits one
/// <see cref="CdnCapDecision"/> per crossing.
/// </summary>
/// <remarks>
/// Written on the processor API rather than the DSL's windowed aggregate because the input must be de-duplicated by
/// eventId first (a re-sent sample would otherwise count twice and could trip a cap), and the DSL would put a repartition
/// topic between a processor and the aggregation. The store keeps each customer's samples per bucket
/// (<see cref="CdnSampleBucket"/>, 15 minutes by default): one entry de-duplicates by eventId and, logged once per commit,
/// keeps the changelog to a few records per customer and commit. Each cap sums bytes per slice (the gcd of window and
/// advance: 1 min for 15 min/1 min, 5 min for 3 h/5 min) in a <see cref="SliceCache"/> derived from the samples, and the
/// totals of the windows holding a sample are summed from slices. Bytes are never negative, so a window's total only grows and it
/// crosses exactly when its total exceeds the limit and its total before this sample did not. A crossing is the first
/// window of a cap that exceeds the limit; later windows of the same cap that exceed it while overlapping a window
/// already crossed belong to the same crossing (the same burst), so one burst gives one decision per cap instead of one
/// per hopping window. A sample of a customer the CDN registry does not hold goes to the late topic
/// (<c>unknown-customer</c>). Windows are assigned by the sample's periodStart (usage time) and closed by stream time (publish
/// time) passing end + grace.
/// </remarks>
internal sealed class CdnCapProcessor : IProcessor<string, CdnTraffic>
{
    private readonly CdnCapOptions _options;
    private readonly CdnRegistrySnapshot _registry;
    private readonly CdnCapStores _stores;
    private readonly ISerde<CdnTraffic> _trafficSerde;
    private readonly TimeWindows[] _windows;
    private readonly long[] _sliceTicks;
    private readonly long _bucketTicks;
    private IProcessorContext _context = null!;
    private IWindowStore<string, CdnSampleBucket> _samples = null!;
    private SliceCache[] _slices = null!;
    private IKeyValueStore<string, long> _decided = null!;
    private long[] _totals = [];

    public CdnCapProcessor(CdnCapOptions options, CdnRegistrySnapshot registry, CdnCapStores stores, ISerde<CdnTraffic> trafficSerde)
    {
        _options = options;
        _registry = registry;
        _stores = stores;
        _trafficSerde = trafficSerde;
        _windows = [.. options.Limits.Select(l => TimeWindows.Hopping(l.Window, l.Advance, options.Grace))];
        _sliceTicks = [.. options.Limits.Select(l => SliceOf(l).Ticks)];
        _bucketTicks = BucketOf(options).Ticks;
    }

    /// <summary>Slice length of a cap: the largest span that divides both window and advance.</summary>
    public static TimeSpan SliceOf(CdnCapLimit limit) => TimeSpan.FromTicks(Gcd(limit.Window.Ticks, limit.Advance.Ticks));

    /// <summary>Sample bucket length: a multiple of every cap's slice (so a slice lies in one bucket), at least 15 minutes.</summary>
    public static TimeSpan BucketOf(CdnCapOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var lcm = options.Limits.Select(l => SliceOf(l).Ticks).Aggregate((a, b) => a / Gcd(a, b) * b);
        var minimum = TimeSpan.FromMinutes(15).Ticks;
        return TimeSpan.FromTicks(lcm * Math.Max(1, (minimum + lcm - 1) / lcm));
    }

    public void Init(IProcessorContext context)
    {
        _context = context;
        _samples = context.GetStateStore<IWindowStore<string, CdnSampleBucket>>(_stores.Samples);
        _slices = [.. _options.Limits.Select((_, cap) => new SliceCache(
            StoredBytes,
            _sliceTicks[cap],
            (int)(((_options.Limits[cap].Window.Ticks - _options.Limits[cap].Advance.Ticks) / _sliceTicks[cap]) + (_options.Limits[cap].Window.Ticks / _sliceTicks[cap]))))];
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

        if (!_registry.IsRegistered(traffic.customerId))
        {
            // No distribution to disable, and likely a wrong id: counted (late_records, reason unknown-customer) and kept for replay.
            _context.SendToLateRecords(record, $"unknown-customer: {traffic.customerId} has no CDN registry row", Serdes.Utf8, _trafficSerde);
            return;
        }

        if (traffic.dataSource != CdnDataSource.CloudWatch)
        {
            _context.SendToLateRecords(record, "wrong-data-source: caps count CloudWatch samples only", Serdes.Utf8, _trafficSerde);
            return;
        }

        var usageTime = AvroTime.From(traffic.periodStart);
        var bucketStart = AlignDown(usageTime.UtcTicks, _bucketTicks);
        var bucket = _samples.TryGet(traffic.customerId, new DateTimeOffset(bucketStart, TimeSpan.Zero), out var stored) ? stored : null;
        if (bucket is not null && bucket.Contains(traffic.eventId))
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

        if (counted > 0)
        {
            BillingMetrics.RecordCdnTraffic(traffic.bytes);

            // Stored after the slices took it: a slice computed from the store must not see it twice.
            bucket ??= new CdnSampleBucket();
            bucket.Samples.Add(new CdnSampleBucket.Sample(traffic.eventId, usageTime.UtcTicks, traffic.bytes));
            _samples.Put(traffic.customerId, bucket, new DateTimeOffset(bucketStart, TimeSpan.Zero));
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

    private static long AlignDown(long ticks, long length) => ticks - ((ticks - DateTimeOffset.UnixEpoch.UtcTicks) % length);

    /// <summary>A slice's bytes from the stored samples (a slice lies in one bucket).</summary>
    private long StoredBytes(string customer, long sliceStart, long sliceTicks) =>
        _samples.TryGet(customer, new DateTimeOffset(AlignDown(sliceStart, _bucketTicks), TimeSpan.Zero), out var bucket)
            ? bucket.BytesBetween(sliceStart, sliceStart + sliceTicks)
            : 0;

    private void Count(int cap, Record<string, CdnTraffic> record, DateTimeOffset usageTime, DateTimeOffset firstOpen, DateTimeOffset lastStart)
    {
        var traffic = record.Value;
        var slices = _slices[cap];
        var ring = slices.For(traffic.customerId);
        var slice = _sliceTicks[cap];
        var sliceStart = AlignDown(usageTime.UtcTicks, slice);
        slices.Add(ring, sliceStart, traffic.bytes);

        // Slice totals from the first open window's start to the last window's end, as running sums.
        var limit = _options.Limits[cap];
        var window = limit.Window.Ticks;
        var slicesPerWindow = (int)(window / slice);
        var span = (int)(((lastStart.UtcTicks - firstOpen.UtcTicks) / slice) + slicesPerWindow);
        if (_totals.Length < span + 1)
        {
            _totals = new long[span + 1];
        }

        _totals[0] = 0;
        for (var i = 0; i < span; i++)
        {
            _totals[i + 1] = slices.Get(ring, firstOpen.UtcTicks + (i * slice));
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
        BillingMetrics.RecordCapDecision(limit.Name, total);
    }
}
