namespace StreamBilling.Contracts;

/// <summary>What Kafka does with old records of a topic (<c>cleanup.policy</c>).</summary>
public enum TopicCleanupPolicy
{
    /// <summary>Records are deleted after the retention time (event streams).</summary>
    Delete,

    /// <summary>Only the newest record per key is kept (tables such as statuses and invoices).</summary>
    Compact,
}
