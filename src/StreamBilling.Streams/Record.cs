namespace StreamBilling.Streams;

/// <summary>A keyed record flowing through a topology.</summary>
/// <typeparam name="TKey">Key type.</typeparam>
/// <typeparam name="TValue">Value type.</typeparam>
/// <param name="Key">Record key.</param>
/// <param name="Value">Record value.</param>
/// <param name="Timestamp">Event time of the record.</param>
/// <param name="Headers">Headers, or null when the record has none.</param>
public readonly record struct Record<TKey, TValue>(TKey Key, TValue Value, DateTimeOffset Timestamp, Headers? Headers = null)
{
    /// <summary>
    /// Deterministic output id. When null the sink derives one from the input record (see <see cref="RecordHeaderNames.Id"/>);
    /// set it when the record has a natural identity (a window, a session, a billing period) so replays upsert instead of duplicating.
    /// </summary>
    public string? Id { get; init; }

    /// <summary>The same record with another key.</summary>
    public Record<TKeyOut, TValue> WithKey<TKeyOut>(TKeyOut key) => new(key, Value, Timestamp, Headers) { Id = Id };

    /// <summary>The same record with another value.</summary>
    public Record<TKey, TValueOut> WithValue<TValueOut>(TValueOut value) => new(Key, value, Timestamp, Headers) { Id = Id };
}
