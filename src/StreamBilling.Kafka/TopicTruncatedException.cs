namespace StreamBilling.Kafka;

/// <summary>
/// A consumer's next offset lies below the partition's low watermark: records it never read were deleted
/// (retention, or the embedded cluster's 5 MB per-partition cap). Billing cannot continue silently past lost usage.
/// </summary>
public sealed class TopicTruncatedException : Exception
{
    /// <summary>Creates the exception for a partition whose records before <paramref name="lowWatermark"/> are gone.</summary>
    public TopicTruncatedException(string topic, int partition, long? expectedOffset, long lowWatermark, Exception? innerException = null)
        : base(BuildMessage(topic, partition, expectedOffset, lowWatermark), innerException)
    {
        Topic = topic;
        Partition = partition;
        ExpectedOffset = expectedOffset;
        LowWatermark = lowWatermark;
    }

    /// <summary>Creates the exception with a message only.</summary>
    public TopicTruncatedException(string message)
        : base(message)
    {
        Topic = string.Empty;
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public TopicTruncatedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Topic = string.Empty;
    }

    /// <summary>Creates an empty exception.</summary>
    public TopicTruncatedException()
    {
        Topic = string.Empty;
    }

    /// <summary>Topic of the truncated partition.</summary>
    public string Topic { get; }

    /// <summary>Partition number.</summary>
    public int Partition { get; }

    /// <summary>Offset the consumer needed next (its committed offset or fetch position); null when it had none.</summary>
    public long? ExpectedOffset { get; }

    /// <summary>The partition's low watermark: the oldest offset still present.</summary>
    public long LowWatermark { get; }

    private static string BuildMessage(string topic, int partition, long? expectedOffset, long lowWatermark) => expectedOffset is { } offset
        ? $"Topic {topic} partition {partition} was truncated: the consumer needs offset {offset} but the oldest record left is at {lowWatermark}; {lowWatermark - offset} record(s) were lost unread."
        : $"Topic {topic} partition {partition} was truncated before this group read it: no committed offset, and the oldest record left is at {lowWatermark}.";
}
