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

    /// <summary>
    /// Keep the application's stores in RocksDB under <see cref="StreamsHostSettings.StateDirectory"/> instead of in
    /// memory: a restart after a clean stop then restores only the changelogs' tails (both kinds are changelogged).
    /// </summary>
    public bool PersistentStores { get; set; }

    /// <summary>How often stores, output and offsets are committed.</summary>
    public TimeSpan CommitInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Identity of this instance (state directory, transactional id); unset: <see cref="StreamsHostSettings.InstanceId"/>.</summary>
    public string? InstanceId { get; set; }

    internal KafkaStreamsOptions ToStreamsOptions(StreamsHostSettings streams) => new()
    {
        CommitInterval = CommitInterval,
        InstanceId = string.IsNullOrWhiteSpace(InstanceId) ? streams.InstanceId : InstanceId,
        StateDirectory = string.IsNullOrWhiteSpace(streams.StateDirectory) ? null : Path.GetFullPath(streams.StateDirectory),
    };
}
