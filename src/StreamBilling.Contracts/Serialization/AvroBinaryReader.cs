using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using Avro;

namespace StreamBilling.Contracts.Serialization;

/// <summary>
/// Avro binary decoding from a span, with a position: the reading counterpart of <see cref="AvroBinaryWriter"/>, producing
/// the same values as Apache.Avro's BinaryDecoder and logical-type conversions (UTC <see cref="DateTime"/> for timestamps,
/// <see cref="AvroDecimal"/> for decimals). Malformed or truncated data throws <see cref="AvroException"/>.
/// </summary>
public ref struct AvroBinaryReader
{
    private static readonly DateTime UnixEpoch = new(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    /// <summary>Reads <paramref name="data"/> from its first byte.</summary>
    public AvroBinaryReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    /// <summary>Bytes read so far.</summary>
    public readonly int Position => _position;

    /// <summary>Bytes not read yet.</summary>
    public readonly int Remaining => _data.Length - _position;

    /// <summary>Avro <c>boolean</c>.</summary>
    public bool ReadBoolean()
    {
        var value = ReadByte();
        return value switch
        {
            0 => false,
            1 => true,
            _ => throw new AvroException($"Not a boolean value in the stream: {value}"),
        };
    }

    /// <summary>Avro <c>int</c>.</summary>
    public int ReadInt()
    {
        var value = ReadLong();
        return value is >= int.MinValue and <= int.MaxValue ? (int)value : throw new AvroException($"Invalid int encoding: {value} is out of range.");
    }

    /// <summary>Avro <c>long</c>.</summary>
    public long ReadLong()
    {
        var data = _data;
        var position = _position;
        ulong result = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            if ((uint)position >= (uint)data.Length)
            {
                throw EndOfData();
            }

            var b = data[position++];
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                _position = position;
                return (long)(result >> 1) ^ -(long)(result & 1);
            }
        }

        throw new AvroException("Invalid long encoding: more than 10 bytes.");
    }

    /// <summary>Avro <c>float</c>.</summary>
    public float ReadFloat() => BinaryPrimitives.ReadSingleLittleEndian(Take(4));

    /// <summary>Avro <c>double</c>.</summary>
    public double ReadDouble() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));

    /// <summary>Avro <c>string</c> (invalid UTF-8 becomes U+FFFD, as Encoding.UTF8 does).</summary>
    public string ReadString() => Utf8.GetString(Take(ReadLength()));

    /// <summary>Avro <c>bytes</c>, copied into a new array.</summary>
    public byte[] ReadBytes() => Take(ReadLength()).ToArray();

    /// <summary>Avro <c>decimal</c> on <c>bytes</c>, with the schema's <paramref name="scale"/>.</summary>
    public AvroDecimal ReadDecimal(int scale) =>
        new(new BigInteger(Take(ReadLength()), isUnsigned: false, isBigEndian: true), scale);

    /// <summary>Avro <c>timestamp-millis</c> as a UTC <see cref="DateTime"/>.</summary>
    public DateTime ReadTimestampMillis() => UnixEpoch.AddMilliseconds(ReadLong());

    /// <summary>Avro <c>timestamp-micros</c> as a UTC <see cref="DateTime"/>.</summary>
    public DateTime ReadTimestampMicros() => UnixEpoch.AddTicks(ReadLong() * (TimeSpan.TicksPerMillisecond / 1000));

    /// <summary>Avro <c>enum</c>: the symbol's position, checked against <paramref name="symbolCount"/>.</summary>
    public int ReadEnum(int symbolCount)
    {
        var ordinal = ReadLong();
        return (ulong)ordinal < (ulong)symbolCount ? (int)ordinal : throw new AvroException($"Enum ordinal {ordinal} is not one of the schema's {symbolCount} symbols.");
    }

    /// <summary>
    /// Avro <c>enum</c> with a default symbol: as <see cref="ReadEnum"/>, and the default itself is refused. The default
    /// is what a reader that lacks a newer writer's symbol reads it as; no writer names it, so reading it means a symbol
    /// this program does not know, which must not be billed as some neighbouring one.
    /// </summary>
    public int ReadKnownEnum(int symbolCount, int defaultOrdinal, string enumName)
    {
        var ordinal = ReadEnum(symbolCount);
        return ordinal != defaultOrdinal ? ordinal : throw new AvroException($"The {enumName} symbol is its default (a symbol the writer's program did not know); it is never written.");
    }

    /// <summary>Avro <c>union</c>: the branch position, checked against <paramref name="branchCount"/>.</summary>
    public int ReadUnionBranch(int branchCount)
    {
        var branch = ReadLong();
        return (ulong)branch < (ulong)branchCount ? (int)branch : throw new AvroException($"Union branch {branch} is not one of the schema's {branchCount} branches.");
    }

    /// <summary>
    /// Item count of the next block of an Avro <c>array</c> or <c>map</c>: the first call starts it, each later call reads the
    /// block after the items just read, and 0 means the end. A block that announces its size in bytes is handled.
    /// </summary>
    public long ReadBlockCount()
    {
        var count = ReadLong();
        if (count < 0)
        {
            // A negative count is followed by the block's size in bytes, for skipping; the items follow as usual.
            ReadLong();
            count = -count;
        }

        return count;
    }

    private byte ReadByte()
    {
        if ((uint)_position >= (uint)_data.Length)
        {
            throw EndOfData();
        }

        return _data[_position++];
    }

    private int ReadLength()
    {
        var length = ReadLong();
        if (length < 0)
        {
            throw new AvroException($"Negative length {length} for a string or bytes value.");
        }

        return length <= Remaining ? (int)length : throw EndOfData();
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > Remaining)
        {
            throw EndOfData();
        }

        var slice = _data.Slice(_position, count);
        _position += count;
        return slice;
    }

    private readonly AvroException EndOfData() =>
        new($"End of Avro data: the record needs more than the {_data.Length} bytes given (at byte {_position}).");
}
