using StreamBilling.Streams.Kafka;

namespace StreamBilling.Pipeline.Hosting;

/// <summary>
/// What every billing stream application in the host is configured with (section <c>Pipeline:&lt;Name&gt;</c>). Unset
/// values keep the topology's own defaults, so those live in one place.
/// </summary>
public abstract class StreamApplicationSettings
{
    /// <summary>Whether this process runs the application (several processes may split the applications between them).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Application id (consumer group, prefix of internal topics); unset: the topology's default.</summary>
    public string? ApplicationId { get; set; }

    /// <summary>How often stores, output and offsets are committed.</summary>
    public TimeSpan CommitInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Stable identity of this instance (part of the transactional id on a real cluster); unset: a new one per start.</summary>
    public string? InstanceId { get; set; }

    internal KafkaStreamsOptions ToStreamsOptions() => string.IsNullOrWhiteSpace(InstanceId)
        ? new KafkaStreamsOptions { CommitInterval = CommitInterval }
        : new KafkaStreamsOptions { CommitInterval = CommitInterval, InstanceId = InstanceId };
}
