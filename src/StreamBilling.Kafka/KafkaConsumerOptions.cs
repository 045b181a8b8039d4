using Confluent.Kafka;

namespace StreamBilling.Kafka;

/// <summary>Per-consumer choices for consumers built by <see cref="KafkaClientFactory"/>.</summary>
public sealed class KafkaConsumerOptions
{
    /// <summary>Start position on partitions without a committed offset.</summary>
    public MissingOffsetPolicy WhenNoCommittedOffset { get; init; } = MissingOffsetPolicy.FailIfTruncated;

    /// <summary>Called after partitions are assigned (incrementally) with the offsets consumption starts from.</summary>
    public Action<IReadOnlyList<TopicPartitionOffset>>? PartitionsAssigned { get; init; }

    /// <summary>
    /// Called after <see cref="PartitionsAssigned"/>; returns the offsets to start from instead of the resolved ones (a
    /// stream task whose state records its input position starts there rather than at the group's committed offset).
    /// </summary>
    public Func<IReadOnlyList<TopicPartitionOffset>, IReadOnlyList<TopicPartitionOffset>>? ResolveStarts { get; init; }

    /// <summary>Called when partitions are revoked, before they go; commit or flush work for them here.</summary>
    public Action<IReadOnlyList<TopicPartitionOffset>>? PartitionsRevoked { get; init; }

    /// <summary>Called when partitions were lost (session timed out): their offsets can no longer be committed.</summary>
    public Action<IReadOnlyList<TopicPartitionOffset>>? PartitionsLost { get; init; }

    /// <summary>Last word on the consumer configuration, applied after StreamBilling's defaults.</summary>
    public Action<ConsumerConfig>? Configure { get; init; }
}
