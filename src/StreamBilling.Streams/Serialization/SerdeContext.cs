namespace StreamBilling.Streams;

/// <summary>What is being (de)serialized: the topic, whether it is the key, and the record headers.</summary>
/// <param name="Topic">Topic (or changelog/store name) the bytes belong to.</param>
/// <param name="IsKey">True for keys, false for values (Avro subjects differ).</param>
/// <param name="Headers">Record headers, when there are any.</param>
public readonly record struct SerdeContext(string Topic, bool IsKey, Headers? Headers = null);
