using System.Globalization;
using Confluent.Kafka;
using Streamiz.Kafka.Net.Processors;

namespace StreamBilling.Bench.Streamiz;

/// <summary>
/// A CloudWatch CDN sample as the CLI hands it to this engine: <c>periodStartMs|bytes|eventId</c> (UTF-8 string value,
/// key customerId); also the timestamp extractor that puts a sample in windows by its usage time, as CdnCapWindows does.
/// </summary>
public sealed class CdnSampleText : ITimestampExtractor
{
    public static (long PeriodStartMs, long Bytes, string EventId) Parse(string value)
    {
        var parts = value.Split('|', 3);
        return (long.Parse(parts[0], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture), parts[2]);
    }

    public long Extract(ConsumeResult<object, object> record, long partitionTime) => Parse((string)record.Message.Value).PeriodStartMs;
}
