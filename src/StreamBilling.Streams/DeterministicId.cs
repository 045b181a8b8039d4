using System.Buffers;
using System.Text;

namespace StreamBilling.Streams;

/// <summary>Builds stable ids (32 lowercase hex chars: a 128-bit MurmurHash3, not a cryptographic hash) from the parts that identify an output.</summary>
public static class DeterministicId
{
    /// <summary>Id of the given parts; parts are length-prefixed so ("ab","c") and ("a","bc") differ.</summary>
    public static string FromParts(params ReadOnlySpan<string> parts)
    {
        var writer = new ArrayBufferWriter<byte>(128);
        foreach (var part in parts)
        {
            Append(writer, part);
        }

        return Hash(writer.WrittenSpan);
    }

    internal static string Hash(ReadOnlySpan<byte> data)
    {
        var (h1, h2) = Murmur3.Hash128(data);
        Span<byte> digest = stackalloc byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(digest, h1);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(digest[8..], h2);
        return Convert.ToHexStringLower(digest);
    }

    internal static void Append(ArrayBufferWriter<byte> writer, string part)
    {
        var length = Encoding.UTF8.GetByteCount(part);
        Append(writer, length);
        var span = writer.GetSpan(length);
        Encoding.UTF8.GetBytes(part, span);
        writer.Advance(length);
    }

    internal static void Append(ArrayBufferWriter<byte> writer, ReadOnlySpan<byte> part)
    {
        Append(writer, part.Length);
        part.CopyTo(writer.GetSpan(part.Length));
        writer.Advance(part.Length);
    }

    internal static void Append(ArrayBufferWriter<byte> writer, long value)
    {
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(writer.GetSpan(8), value);
        writer.Advance(8);
    }
}
