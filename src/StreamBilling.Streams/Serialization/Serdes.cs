using System.Text.Json;

namespace StreamBilling.Streams;

/// <summary>Built-in serdes. Integers are big-endian as in Kafka's serializers.</summary>
public static class Serdes
{
    /// <summary>UTF-8 strings.</summary>
    public static ISerde<string> Utf8 { get; } = new StringSerde();

    /// <summary>64-bit big-endian integers.</summary>
    public static ISerde<long> BigEndianInt64 { get; } = new Int64Serde();

    /// <summary>32-bit big-endian integers.</summary>
    public static ISerde<int> BigEndianInt32 { get; } = new Int32Serde();

    /// <summary>Raw bytes, passed through.</summary>
    public static ISerde<byte[]> Bytes { get; } = new ByteArraySerde();

    /// <summary>System.Text.Json serde for internal state and repartition values.</summary>
    public static ISerde<T> Json<T>(JsonSerializerOptions? options = null) => new JsonSerde<T>(options ?? JsonSerde<T>.DefaultOptions);

    /// <summary>Windowed keys: inner key bytes, then window start and end as big-endian UTC ticks.</summary>
    public static ISerde<Windowed<TKey>> Windowed<TKey>(ISerde<TKey> keySerde) => new WindowedSerde<TKey>(keySerde);

    /// <summary>The built-in serde for string, long, int and byte[]; JSON for anything else.</summary>
    public static ISerde<T> Default<T>()
    {
        object serde = typeof(T) == typeof(string) ? Utf8
            : typeof(T) == typeof(long) ? BigEndianInt64
            : typeof(T) == typeof(int) ? BigEndianInt32
            : typeof(T) == typeof(byte[]) ? Bytes
            : new JsonSerde<T>(JsonSerde<T>.DefaultOptions);
        return (ISerde<T>)serde;
    }
}
