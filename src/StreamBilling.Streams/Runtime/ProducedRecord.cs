namespace StreamBilling.Streams;

/// <summary>A serialized record a task emits to a sink, late-records or repartition topic.</summary>
/// <param name="Topic">Destination topic.</param>
/// <param name="Key">Serialized key (the collector partitions by it).</param>
/// <param name="Value">Serialized value.</param>
/// <param name="Timestamp">Record timestamp.</param>
/// <param name="Headers">Headers, always including <see cref="RecordHeaderNames.Id"/>.</param>
/// <param name="TaskId">The task that produced it.</param>
public readonly record struct ProducedRecord(string Topic, byte[]? Key, byte[]? Value, DateTimeOffset Timestamp, Headers Headers, TaskId TaskId)
{
    /// <summary>The deterministic id carried in <see cref="RecordHeaderNames.Id"/>.</summary>
    public string Id => Headers.GetLastString(RecordHeaderNames.Id) ?? string.Empty;
}
