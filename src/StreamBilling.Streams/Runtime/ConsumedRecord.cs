namespace StreamBilling.Streams;

/// <summary>A raw record read from a source topic, handed to <see cref="StreamTask.Process"/>.</summary>
/// <param name="Topic">Source topic.</param>
/// <param name="Partition">Partition (must equal the task's partition).</param>
/// <param name="Offset">Offset in the partition.</param>
/// <param name="Timestamp">Event time (the Kafka record timestamp).</param>
/// <param name="Key">Serialized key.</param>
/// <param name="Value">Serialized value.</param>
/// <param name="Headers">Record headers, if any.</param>
public readonly record struct ConsumedRecord(string Topic, int Partition, long Offset, DateTimeOffset Timestamp, byte[]? Key, byte[]? Value, Headers? Headers = null);
