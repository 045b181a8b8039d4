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
}
