namespace StreamBilling.Kafka;

/// <summary>Kafka <c>cleanup.policy</c> of a topic.</summary>
public enum TopicCleanupPolicy
{
    /// <summary>Old segments are deleted by retention.</summary>
    Delete,

    /// <summary>The log is compacted to the latest record per key (not honoured by the embedded cluster).</summary>
    Compact,
}
