using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace StreamBilling.Streams;

internal sealed class StringSerde : ISerde<string>
{
    public byte[]? Serialize(string data, SerdeContext context) => data is null ? null : Encoding.UTF8.GetBytes(data);

    public string Deserialize(byte[]? data, SerdeContext context) => data is null ? null! : Encoding.UTF8.GetString(data);
}

internal sealed class Int64Serde : ISerde<long>
{
    public byte[]? Serialize(long data, SerdeContext context)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, data);
        return bytes;
    }

    public long Deserialize(byte[]? data, SerdeContext context) => data is null ? 0 : data.Length == 8
        ? BinaryPrimitives.ReadInt64BigEndian(data)
        : throw new FormatException($"Int64 serde expects 8 bytes, got {data.Length} (topic {context.Topic}).");
}

internal sealed class Int32Serde : ISerde<int>
{
    public byte[]? Serialize(int data, SerdeContext context)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, data);
        return bytes;
    }

    public int Deserialize(byte[]? data, SerdeContext context) => data is null ? 0 : data.Length == 4
        ? BinaryPrimitives.ReadInt32BigEndian(data)
        : throw new FormatException($"Int32 serde expects 4 bytes, got {data.Length} (topic {context.Topic}).");
}

internal sealed class ByteArraySerde : ISerde<byte[]>
{
    public byte[]? Serialize(byte[] data, SerdeContext context) => data;

    public byte[] Deserialize(byte[]? data, SerdeContext context) => data!;
}

internal sealed class JsonSerde<T>(JsonSerializerOptions options) : ISerde<T>
{
    internal static readonly JsonSerializerOptions DefaultOptions = new(JsonSerializerDefaults.Web);

    public byte[]? Serialize(T data, SerdeContext context) =>
        data is null ? null : JsonSerializer.SerializeToUtf8Bytes(data, options);

    public T Deserialize(byte[]? data, SerdeContext context) =>
        data is null ? default! : JsonSerializer.Deserialize<T>(data, options)!;
}

internal sealed class WindowedSerde<TKey>(ISerde<TKey> keySerde) : ISerde<Windowed<TKey>>
{
    public byte[]? Serialize(Windowed<TKey> data, SerdeContext context)
    {
        var key = keySerde.Serialize(data.Key, context) ?? [];
        var bytes = new byte[key.Length + 16];
        key.CopyTo(bytes, 0);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(key.Length), data.Start.UtcTicks);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(key.Length + 8), data.End.UtcTicks);
        return bytes;
    }

    public Windowed<TKey> Deserialize(byte[]? data, SerdeContext context)
    {
        if (data is null || data.Length < 16)
        {
            throw new FormatException($"Windowed key needs at least 16 bytes (topic {context.Topic}).");
        }

        var keyLength = data.Length - 16;
        var key = keySerde.Deserialize(data[..keyLength], context);
        var start = new DateTimeOffset(BinaryPrimitives.ReadInt64BigEndian(data.AsSpan(keyLength)), TimeSpan.Zero);
        var end = new DateTimeOffset(BinaryPrimitives.ReadInt64BigEndian(data.AsSpan(keyLength + 8)), TimeSpan.Zero);
        return new Windowed<TKey>(key, start, end);
    }
}
