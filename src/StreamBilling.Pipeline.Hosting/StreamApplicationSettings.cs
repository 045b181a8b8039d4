using StreamBilling.Streams.Kafka;

namespace StreamBilling.Pipeline.Hosting;

/// <summary>
/// How the host runs one billing stream application (section <c>Pipeline:&lt;Name&gt;</c>, the same section the topology's
/// options bind from; a named options instance per <see cref="PipelineApplications"/> name): the runtime's side, which the
/// topology does not see.
/// </summary>
public sealed class StreamApplicationSettings
{
    /// <summary>Whether this process runs the application (several processes may split the applications between them).</summary>
    public bool Enabled { get; set; } = true;

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

    /// <summary>Throws <see cref="ArgumentException"/> when a value is invalid.</summary>
    public void Validate()
    {
        if (MaxEventTimeAhead < TimeSpan.Zero)
        {
            throw new ArgumentException("MaxEventTimeAhead must not be negative.");
        }

        if (!Enum.IsDefined(DeserializationErrors))
        {
            throw new ArgumentException("DeserializationErrors must be DeadLetter or Fail.");
        }
    }

    /// <summary>The runtime options, with what the host's applications share (<paramref name="streams"/>); valid settings: see <see cref="Validate"/>.</summary>
    internal KafkaStreamsOptions ToStreamsOptions(StreamsHostSettings streams) => new()
    {
        CommitInterval = CommitInterval,
        InstanceId = string.IsNullOrWhiteSpace(InstanceId) ? streams.InstanceId : InstanceId,
        StateDirectory = string.IsNullOrWhiteSpace(streams.StateDirectory) ? null : Path.GetFullPath(streams.StateDirectory),
        DeserializationErrors = DeserializationErrors,
        MaxEventTimeAhead = MaxEventTimeAhead,
    };
}
