namespace StreamBilling.Streams.Kafka;

/// <summary>Lifecycle of a <see cref="KafkaStreams"/> instance.</summary>
public enum KafkaStreamsState
{
    /// <summary>Constructed, not started.</summary>
    Created,

    /// <summary>Joined the group and processing (or waiting for an assignment).</summary>
    Running,

    /// <summary>Stopped cleanly: work committed, tasks closed, group left.</summary>
    Stopped,

    /// <summary>Stopped by an error; see <see cref="KafkaStreams.Error"/>.</summary>
    Failed,
}
