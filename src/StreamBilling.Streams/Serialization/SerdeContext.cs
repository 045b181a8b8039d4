namespace StreamBilling.Streams;

/// <summary>What is being (de)serialized: the topic, whether it is the key, and the record headers.</summary>
/// <param name="Topic">Topic (or changelog/store name) the bytes belong to.</param>
/// <param name="IsKey">True for keys, false for values (Avro subjects differ).</param>
/// <param name="Headers">Record headers, when there are any.</param>
/// <param name="MixedTypes">
/// The topic carries records of several types (an application's late-records topic): a schema-registry serde names
/// its subject per record type, so one type's schema never has to be compatible with another's.
/// </param>
public readonly record struct SerdeContext(string Topic, bool IsKey, Headers? Headers = null, bool MixedTypes = false);
