namespace StreamBilling.Streams.Kafka;

/// <summary>How output, state changes and input offsets are made durable together.</summary>
public enum ProcessingGuarantee
{
    /// <summary>
    /// Kafka transactions on a real cluster (output, changelogs and offsets commit atomically; consumers read committed).
    /// The embedded cluster has no transaction semantics, so there the runtime falls back to
    /// <see cref="AtLeastOnceIdempotent"/> and says so in its log.
    /// </summary>
    ExactlyOnce,

    /// <summary>
    /// Offsets are committed after output and changelogs are acknowledged. A crash replays the uncommitted tail; every
    /// replayed output carries the same deterministic <c>sb-id</c>, so idempotent sinks see no duplicate.
    /// </summary>
    AtLeastOnceIdempotent,
}
