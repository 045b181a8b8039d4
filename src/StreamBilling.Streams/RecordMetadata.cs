namespace StreamBilling.Streams;

/// <summary>Where and when the input record being processed was read.</summary>
/// <param name="Topic">Source topic.</param>
/// <param name="Partition">Source partition.</param>
/// <param name="Offset">Offset in the partition.</param>
/// <param name="Timestamp">Event time of the input record.</param>
/// <param name="Headers">Headers of the input record, if any.</param>
public readonly record struct RecordMetadata(string Topic, int Partition, long Offset, DateTimeOffset Timestamp, Headers? Headers);
