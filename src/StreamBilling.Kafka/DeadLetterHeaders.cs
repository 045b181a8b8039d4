using System.Globalization;
using System.Text;
using Confluent.Kafka;

namespace StreamBilling.Kafka;

/// <summary>Headers a dead-lettered record carries (UTF-8 strings) besides its original headers.</summary>
public static class DeadLetterHeaders
{
    /// <summary>The error message.</summary>
    public const string Error = "dlq.error";

    /// <summary>The failure kind: an exception type name, or <c>Validation</c>.</summary>
    public const string ErrorType = "dlq.error.type";

    /// <summary>Topic the record was read from.</summary>
    public const string SourceTopic = "dlq.source.topic";

    /// <summary>Partition the record was read from.</summary>
    public const string SourcePartition = "dlq.source.partition";

    /// <summary>Offset of the record in its source partition.</summary>
    public const string SourceOffset = "dlq.source.offset";

    /// <summary>The source record's timestamp, ISO-8601 UTC.</summary>
    public const string SourceTimestamp = "dlq.source.timestamp";

    /// <summary>When the record was dead-lettered, ISO-8601 UTC.</summary>
    public const string DeadLetteredAt = "dlq.dead-lettered.at";

    /// <summary>
    /// Deterministic id of the dead letter, <c>&lt;consumer&gt;:&lt;topic&gt;/&lt;partition&gt;/&lt;offset&gt;</c> (see <see cref="IdOf"/>):
    /// a replay after a crash may write the same dead letter again, with the same id, so readers dedupe by it.
    /// </summary>
    public const string Id = "dlq.id";

    /// <summary>Error type used when a validation callback rejected a record.</summary>
    public const string ValidationErrorType = "Validation";

    /// <summary>Reads a dead-letter header as a string, or null if absent.</summary>
    public static string? Read(Headers headers, string name)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return headers.TryGetLastBytes(name, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;
    }

    /// <summary>The <see cref="Id"/> of the dead letter that <paramref name="consumer"/> (a consumer group or stream application id) writes for <paramref name="source"/>.</summary>
    public static string IdOf(string consumer, TopicPartitionOffset source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return string.Create(CultureInfo.InvariantCulture, $"{consumer}:{source.Topic}/{source.Partition.Value}/{source.Offset.Value}");
    }

    /// <summary>
    /// The source record's headers followed by the dead-letter headers, for a record that <paramref name="consumer"/> (a
    /// consumer group or stream application id) could not use. Every writer of <c>&lt;topic&gt;.dlq</c> builds them here, so a
    /// dead letter looks the same whoever wrote it.
    /// </summary>
    public static Headers Build(string consumer, TopicPartitionOffset source, Timestamp sourceTimestamp, Headers? sourceHeaders, string error, string errorType, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumer);
        ArgumentNullException.ThrowIfNull(source);
        var headers = new Headers();
        foreach (var header in sourceHeaders ?? [])
        {
            headers.Add(header.Key, header.GetValueBytes());
        }

        Add(headers, Error, error);
        Add(headers, ErrorType, errorType);
        Add(headers, SourceTopic, source.Topic);
        Add(headers, SourcePartition, source.Partition.Value.ToString(CultureInfo.InvariantCulture));
        Add(headers, SourceOffset, source.Offset.Value.ToString(CultureInfo.InvariantCulture));
        if (sourceTimestamp.Type != TimestampType.NotAvailable)
        {
            Add(headers, SourceTimestamp, DateTimeOffset.FromUnixTimeMilliseconds(sourceTimestamp.UnixTimestampMs).ToString("O", CultureInfo.InvariantCulture));
        }

        Add(headers, DeadLetteredAt, now.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
        Add(headers, Id, IdOf(consumer, source));
        return headers;
    }

    private static void Add(Headers headers, string name, string value) => headers.Add(name, Encoding.UTF8.GetBytes(value));
}
