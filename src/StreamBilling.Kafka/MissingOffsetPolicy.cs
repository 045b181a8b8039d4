namespace StreamBilling.Kafka;

/// <summary>Where a group consumer starts on a partition for which its group has no committed offset.</summary>
public enum MissingOffsetPolicy
{
    /// <summary>Start at offset 0, so consuming fails with <see cref="TopicTruncatedException"/> if records were already deleted (low watermark above 0).</summary>
    FailIfTruncated,

    /// <summary>Start at the oldest record present, whatever was deleted before.</summary>
    Earliest,

    /// <summary>Start at the end: only records produced from now on.</summary>
    Latest,
}
