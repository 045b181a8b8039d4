namespace StreamBilling.Streams;

/// <summary>Header names the runtime reads and writes.</summary>
public static class RecordHeaderNames
{
    /// <summary>Deterministic id of an emitted record (UTF-8, 32 hex chars of a 128-bit MurmurHash3 unless set explicitly); sinks upsert by it.</summary>
    public const string Id = "sb-id";

    /// <summary>Why a record went to the late-records topic (e.g. <c>window-closed</c>, <c>null-key</c>).</summary>
    public const string LateReason = "sb-late-reason";

    /// <summary>Stream time (ISO 8601) of the processor when the record was judged late.</summary>
    public const string LateStreamTime = "sb-late-stream-time";

    /// <summary>Name of the processor node or store that rejected the record.</summary>
    public const string LateSource = "sb-late-source";

    /// <summary>Start (ISO 8601) of the first closed window the record belonged to.</summary>
    public const string LateWindowStart = "sb-late-window-start";

    /// <summary>Topic, partition and offset the late record was read from (<c>topic/partition/offset</c>).</summary>
    public const string LateOrigin = "sb-late-origin";
}
