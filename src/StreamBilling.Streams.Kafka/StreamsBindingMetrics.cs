using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace StreamBilling.Streams.Kafka;

/// <summary>Instruments of the Kafka binding, on the runtime's meter (<see cref="StreamsMetrics.MeterName"/>).</summary>
internal static class StreamsBindingMetrics
{
    private static readonly Meter Meter = new(StreamsMetrics.MeterName);

    public static readonly Histogram<double> EndToEndLatency =
        Meter.CreateHistogram<double>("streambilling.streams.e2e_latency", "s", "Wall time from a record's timestamp to its processing.");

    public static readonly Histogram<double> CommitDuration =
        Meter.CreateHistogram<double>("streambilling.streams.commit.duration", "s", "Time to flush stores, acknowledge output and commit offsets or the transaction.");

    public static readonly Counter<long> Rebalances =
        Meter.CreateCounter<long>("streambilling.streams.rebalances", "{event}", "Partitions assigned, revoked or lost.");

    public static readonly Counter<long> RestoredRecords =
        Meter.CreateCounter<long>("streambilling.streams.restored_records", "{record}", "Changelog records replayed into stores.");

    // Running instances, observed by the lag gauge; an instance leaves the set when its thread ends.
    private static readonly ConcurrentDictionary<KafkaStreams, byte> Running = new();

    public static readonly ObservableGauge<long> ConsumerLag = Meter.CreateObservableGauge(
        "streambilling.streams.consumer_lag",
        ObserveLag,
        "{record}",
        "Records not yet processed on an application's assigned partitions (high watermark minus position), per application.");

    public static void Track(KafkaStreams streams) => Running.TryAdd(streams, 0);

    public static void Untrack(KafkaStreams streams) => Running.TryRemove(streams, out _);

    private static IEnumerable<Measurement<long>> ObserveLag() =>
        Running.Keys
            .Where(s => s.ConsumerLag >= 0)
            .GroupBy(s => s.ApplicationId, StringComparer.Ordinal)
            .Select(g => new Measurement<long>(g.Sum(s => s.ConsumerLag), new KeyValuePair<string, object?>("application", g.Key)));
}
