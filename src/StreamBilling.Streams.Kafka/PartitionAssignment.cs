namespace StreamBilling.Streams.Kafka;

/// <summary>The consumer-group assignment strategy of a stream application.</summary>
public enum PartitionAssignment
{
    /// <summary>
    /// Cooperative-sticky when every sub-topology reads one topic; range when some sub-topology joins co-partitioned topics,
    /// because only range gives the same partition of each topic to the same member (librdkafka has no custom assignors).
    /// </summary>
    Auto,

    /// <summary>Incremental cooperative rebalancing: only moved partitions stop.</summary>
    CooperativeSticky,

    /// <summary>Eager rebalancing that keeps co-partitioned topics together.</summary>
    Range,
}
