namespace StreamBilling.Streams;

/// <summary>
/// A record an application did not process (late for its window, period or month, or not processable), as it goes to the
/// late-records topic: why, who rejected it, where it was read, the stream time it was late against, and its own key and
/// value bytes (as its serdes wrote them), so that one topic holds every type a topology rejects and the original can be
/// replayed after a fix. The topology's <see cref="Topology.LateRecordSerde"/> writes it (the pipeline's as the Avro
/// <c>LateRecord</c> envelope).
/// </summary>
public sealed record RejectedRecord
{
    /// <summary>Deterministic id of this late record (also its <see cref="RecordHeaderNames.Id"/> header): a replay writes the same id.</summary>
    public required string Id { get; init; }

    /// <summary>Application that rejected the record.</summary>
    public required string ApplicationId { get; init; }

    /// <summary>Why: a code, then <c>": "</c> and details when there are any (e.g. <c>window-closed</c>, <c>no-rate: …</c>).</summary>
    public required string Reason { get; init; }

    /// <summary>Processor node or store that rejected the record.</summary>
    public required string RejectedBy { get; init; }

    /// <summary>Topic of the input record being processed when this one was rejected; null when a punctuation rejected it.</summary>
    public string? SourceTopic { get; init; }

    /// <summary>Partition of that input record.</summary>
    public int? SourcePartition { get; init; }

    /// <summary>Offset of that input record.</summary>
    public long? SourceOffset { get; init; }

    /// <summary>The rejected record's timestamp.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>Stream time of the task when it judged the record; null before the task saw any record.</summary>
    public DateTimeOffset? StreamTime { get; init; }

    /// <summary>Start of the first closed window the record belonged to (windowed aggregations), else null.</summary>
    public DateTimeOffset? WindowStart { get; init; }

    /// <summary>The rejected record's key bytes.</summary>
    public byte[]? Key { get; init; }

    /// <summary>The rejected record's value bytes.</summary>
    public byte[]? Value { get; init; }

    /// <summary>
    /// The rejected record's value, read with <paramref name="serde"/>: the serde the rejecting processor wrote it with
    /// (for a replay or an inspection; the late topic itself does not say which, see <see cref="Reason"/> and <see cref="RejectedBy"/>).
    /// </summary>
    public TValue ValueAs<TValue>(ISerde<TValue> serde)
    {
        ArgumentNullException.ThrowIfNull(serde);
        return serde.Deserialize(Value, new SerdeContext(SourceTopic ?? ApplicationId, false, EmbeddedPayload: true));
    }
}
