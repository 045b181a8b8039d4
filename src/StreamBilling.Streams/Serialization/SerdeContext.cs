namespace StreamBilling.Streams;

/// <summary>What is being (de)serialized: the topic, whether it is the key, and the record headers.</summary>
/// <param name="Topic">Topic (or changelog/store name) the bytes belong to.</param>
/// <param name="IsKey">True for keys, false for values (Avro subjects differ).</param>
/// <param name="Headers">Record headers, when there are any.</param>
/// <param name="EmbeddedPayload">
/// The bytes are a payload inside another record of <paramref name="Topic"/> (a rejected record inside a
/// <see cref="RejectedRecord"/>), not the topic's own key or value: a schema-registry serde must not register its schema under
/// the topic's subject, which belongs to the outer record (the Avro serde registers it under the record's full name).
/// </param>
public readonly record struct SerdeContext(string Topic, bool IsKey, Headers? Headers = null, bool EmbeddedPayload = false);
