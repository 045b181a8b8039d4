namespace StreamBilling.Streams;

/// <summary>Where the record being processed was read from.</summary>
/// <param name="Topic">Source topic.</param>
/// <param name="Partition">Source partition.</param>
/// <param name="Offset">Offset in the partition.</param>
public readonly record struct RecordMetadata(string Topic, int Partition, long Offset);
