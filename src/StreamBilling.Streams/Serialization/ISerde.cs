namespace StreamBilling.Streams;

/// <summary>Serializer and deserializer of one type; the Kafka binding plugs Avro serdes in through this interface.</summary>
/// <typeparam name="T">The serialized type.</typeparam>
public interface ISerde<T>
{
    /// <summary>Serializes <paramref name="data"/>; null data gives null bytes (a tombstone).</summary>
    byte[]? Serialize(T data, SerdeContext context);

    /// <summary>Deserializes <paramref name="data"/>; null bytes give the default value.</summary>
    T Deserialize(byte[]? data, SerdeContext context);
}
