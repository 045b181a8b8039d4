namespace StreamBilling.Contracts;

/// <summary>A topic: its name, partition count, cleanup policy, record key and value type.</summary>
/// <param name="Name">Topic name.</param>
/// <param name="Partitions">Partition count. Topics that are joined by key have the same count (co-partitioned).</param>
/// <param name="CleanupPolicy">Delete for event streams, Compact for tables.</param>
/// <param name="Key">Field of the value that is the record key (a string), e.g. <c>instanceId</c>; a dotted path for a nested field.</param>
/// <param name="ValueType">Generated Avro class of the values; <see langword="null"/> for raw bytes (dead letters).</param>
public sealed record TopicSpec(string Name, int Partitions, TopicCleanupPolicy CleanupPolicy, string Key, Type? ValueType);
