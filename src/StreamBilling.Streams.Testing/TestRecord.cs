namespace StreamBilling.Streams.Testing;

/// <summary>A record piped into or read from a test topic.</summary>
/// <typeparam name="TKey">Key type.</typeparam>
/// <typeparam name="TValue">Value type.</typeparam>
/// <param name="Key">Key.</param>
/// <param name="Value">Value.</param>
/// <param name="Timestamp">Record timestamp.</param>
/// <param name="Headers">Headers, if any.</param>
public sealed record TestRecord<TKey, TValue>(TKey Key, TValue Value, DateTimeOffset Timestamp, Headers? Headers = null)
{
    /// <summary>Partition to pipe into (input only); 0 by default.</summary>
    public int Partition { get; init; }

    /// <summary>The deterministic <c>sb-id</c> header of an output record.</summary>
    public string? Id => Headers?.GetLastString(RecordHeaderNames.Id);
}
