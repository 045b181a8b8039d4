using System.Diagnostics.Metrics;

namespace StreamBilling.Streams;

/// <summary>The runtime's <see cref="Meter"/>; instruments are tagged with <c>task_id</c> and (records, late records, errors) <c>application</c>.</summary>
public static class StreamsMetrics
{
    /// <summary>Meter name to register with OpenTelemetry.</summary>
    public const string MeterName = "StreamBilling.Streams";

    internal static readonly Meter Meter = new(MeterName);

    internal static readonly Counter<long> RecordsProcessed =
        Meter.CreateCounter<long>("streambilling.streams.records_processed", "{record}", "Records processed by tasks.");

    internal static readonly Counter<long> LateRecords =
        Meter.CreateCounter<long>("streambilling.streams.late_records", "{record}", "Records sent to the late-records topic.");

    internal static readonly Counter<long> DeserializationErrors =
        Meter.CreateCounter<long>("streambilling.streams.deserialization_errors", "{record}", "Source records that could not be deserialized (dead-lettered or failing the task).");

    internal static readonly Counter<long> Punctuations =
        Meter.CreateCounter<long>("streambilling.streams.punctuations", "{call}", "Punctuator calls.");

    internal static readonly Histogram<double> RestoreDuration =
        Meter.CreateHistogram<double>("streambilling.streams.restore.duration", "s", "Time to restore a store batch from its changelog.");

    /// <summary>
    /// The code of a late-record reason, its text before the first <c>:</c> (<c>no-rate: Ec2 m5.large has no rate</c> →
    /// <c>no-rate</c>): metric tags take the code only, since the details can name anything (a usage type, an id).
    /// </summary>
    public static string ReasonCode(string reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        var colon = reason.IndexOf(':', StringComparison.Ordinal);
        return (colon < 0 ? reason : reason[..colon]).Trim();
    }
}
