namespace StreamBilling.Contracts;

/// <summary>A topic: its name, partition count, cleanup policy, record key and value type.</summary>
/// <param name="Name">Topic name.</param>
/// <param name="Partitions">
/// Partition count. Topics that are joined by key have the same count (co-partitioned). The embedded cluster keeps only the
/// newest ~5 MB per partition, so high-volume topics get more partitions.
/// </param>
/// <param name="CleanupPolicy">Delete for event streams, Compact for tables (a real cluster only: the embedded one never compacts).</param>
/// <param name="Key">
/// Field of the value that is the record key (a string), e.g. <c>instanceId</c>; a dotted path for a nested field. Empty when
/// the key is not a value field (dead-letter and ad-hoc test topics).
/// </param>
/// <param name="ValueType">Generated Avro class of the values; <see langword="null"/> for raw bytes (dead letters).</param>
public sealed record TopicSpec(
    string Name,
    int Partitions,
    TopicCleanupPolicy CleanupPolicy = TopicCleanupPolicy.Delete,
    string Key = "",
    Type? ValueType = null)
{
    /// <summary>Replication factor on a real cluster; <see langword="null"/> uses the broker default. The embedded cluster caps it at its broker count.</summary>
    public short? ReplicationFactor { get; init; }
}
