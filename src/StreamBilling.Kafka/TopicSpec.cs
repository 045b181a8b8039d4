namespace StreamBilling.Kafka;

/// <summary>A topic to provision: name, partition count and cleanup policy.</summary>
/// <param name="Name">Topic name.</param>
/// <param name="Partitions">Partition count; the embedded cluster keeps only ~5 MB per partition, so size for that.</param>
/// <param name="CleanupPolicy">Cleanup policy on a real cluster.</param>
/// <param name="ReplicationFactor">Replication factor on a real cluster; null uses the broker default.</param>
public sealed record TopicSpec(string Name, int Partitions, TopicCleanupPolicy CleanupPolicy = TopicCleanupPolicy.Delete, short? ReplicationFactor = null)
{
    /// <summary>Suffix of dead-letter topics.</summary>
    public const string DeadLetterSuffix = ".dlq";

    /// <summary>The dead-letter topic of this topic: <c>&lt;name&gt;.dlq</c>, one partition, delete policy.</summary>
    public TopicSpec DeadLetter() => new(DeadLetterTopicName(Name), 1, TopicCleanupPolicy.Delete, ReplicationFactor);

    /// <summary>Name of the dead-letter topic for <paramref name="topic"/>.</summary>
    public static string DeadLetterTopicName(string topic) => topic + DeadLetterSuffix;
}
