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

    /// <summary>
    /// What the application does with an input record it cannot deserialize: <c>DeadLetter</c> (default: to
    /// <c>&lt;topic&gt;.dlq</c> with the reason and source coordinates, counted, processing goes on) or <c>Fail</c> (stop).
    /// </summary>
    public DeserializationErrorPolicy DeserializationErrors { get; set; } = DeserializationErrorPolicy.DeadLetter;

    /// <summary>
    /// How far ahead of the wall clock an input record's event time may be; one further ahead goes to the application's
    /// late-records topic (reason <c>future-timestamp</c>) instead of moving stream time.
    /// </summary>
    public TimeSpan MaxEventTimeAhead { get; set; } = KafkaStreamsOptions.DefaultMaxEventTimeAhead;

    /// <summary>The runtime options; throws <see cref="ArgumentException"/> when a value is invalid.</summary>
    internal KafkaStreamsOptions ToStreamsOptions(StreamsHostSettings streams)
    {
        if (MaxEventTimeAhead < TimeSpan.Zero)
        {
            throw new ArgumentException("MaxEventTimeAhead must not be negative.");
        }

        if (!Enum.IsDefined(DeserializationErrors))
        {
            throw new ArgumentException("DeserializationErrors must be DeadLetter or Fail.");
        }

        return new KafkaStreamsOptions
        {
            CommitInterval = CommitInterval,
            InstanceId = string.IsNullOrWhiteSpace(InstanceId) ? streams.InstanceId : InstanceId,
            StateDirectory = string.IsNullOrWhiteSpace(streams.StateDirectory) ? null : Path.GetFullPath(streams.StateDirectory),
            DeserializationErrors = DeserializationErrors,
            MaxEventTimeAhead = MaxEventTimeAhead,
        };
    }
}
