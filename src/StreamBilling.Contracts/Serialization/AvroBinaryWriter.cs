using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Text.Unicode;
using Avro;

namespace StreamBilling.Contracts.Serialization;

/// <summary>
/// Avro binary encoding (specification 1.12, "Binary Encoding") into one growable byte buffer that is meant to be reused:
/// <see cref="Reset"/> it and write the next record. Every method writes the same bytes as Apache.Avro's BinaryEncoder and
/// logical-type conversions (timestamp-millis/-micros from <see cref="DateTime"/>, decimal from <see cref="AvroDecimal"/>).
/// Also an <see cref="IBufferWriter{T}"/>, for bytes that are not Avro (a wire-format header). Not thread-safe.
/// </summary>
public sealed class AvroBinaryWriter : IBufferWriter<byte>
{
    private const int MaxVarintBytes = 10;
    private static readonly DateTime UnixEpoch = new(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private byte[] _buffer;
    private int _length;

    /// <summary>Creates an empty writer.</summary>
    /// <param name="initialCapacity">Bytes reserved up front; the buffer doubles when a record needs more.</param>
    public AvroBinaryWriter(int initialCapacity = 256)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(initialCapacity);
        _buffer = new byte[initialCapacity];
    }

    /// <summary>Bytes written since the last <see cref="Reset"/>.</summary>
    public int Length => _length;

    /// <summary>Size of the current buffer (grows, never shrinks).</summary>
    public int Capacity => _buffer.Length;

    /// <summary>The bytes written since the last <see cref="Reset"/>; valid until the next write.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    /// <summary>Forgets the written bytes and keeps the buffer.</summary>
    public void Reset() => _length = 0;

    /// <summary>A copy of the written bytes.</summary>
    public byte[] ToArray() => WrittenSpan.ToArray();

    /// <inheritdoc/>
    public void Advance(int count)
    {
        if ((uint)count > (uint)(_buffer.Length - _length))
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "Advanced past the end of the buffer.");
        }

        _length += count;
    }

    /// <inheritdoc/>
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        EnsureCapacity(Math.Max(sizeHint, 1));
        return _buffer.AsMemory(_length);
    }

    /// <inheritdoc/>
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        EnsureCapacity(Math.Max(sizeHint, 1));
        return _buffer.AsSpan(_length);
    }

    /// <summary>Avro <c>boolean</c>: one byte, 0 or 1.</summary>
    public void WriteBoolean(bool value)
    {
        EnsureCapacity(1);
        _buffer[_length++] = value ? (byte)1 : (byte)0;
    }

    /// <summary>Avro <c>int</c>: zig-zag variable-length (the same bytes as the value as a long).</summary>
    public void WriteInt(int value) => WriteLong(value);

    /// <summary>Avro <c>long</c>: zig-zag variable-length, 1 to 10 bytes.</summary>
    public void WriteLong(long value)
    {
        EnsureCapacity(MaxVarintBytes);
        _length += WriteVarint(_buffer.AsSpan(_length), (ulong)((value << 1) ^ (value >> 63)));
    }

    /// <summary>Avro <c>float</c>: 4 bytes, little-endian IEEE 754.</summary>
    public void WriteFloat(float value)
    {
        EnsureCapacity(4);
        BinaryPrimitives.WriteSingleLittleEndian(_buffer.AsSpan(_length), value);
        _length += 4;
    }

    /// <summary>Avro <c>double</c>: 8 bytes, little-endian IEEE 754.</summary>
    public void WriteDouble(double value)
    {
        EnsureCapacity(8);
        BinaryPrimitives.WriteDoubleLittleEndian(_buffer.AsSpan(_length), value);
        _length += 8;
    }

    /// <summary>Avro <c>string</c>: UTF-8 byte count, then the bytes (a lone surrogate becomes U+FFFD, as with Encoding.UTF8).</summary>
    public void WriteString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);

        // One pass: guess the length prefix from the char count (exact for ASCII, nearly all of our text), encode after it,
        // then write the real prefix; UTF-8 is never shorter than the char count, so a wrong guess only slides the bytes on.
        var guessedPrefix = VarintLength((ulong)value.Length << 1);
        EnsureCapacity((int)Math.Min(MaxVarintBytes + (3L * value.Length), int.MaxValue));
        var start = _length;
        Utf8.FromUtf16(value, _buffer.AsSpan(start + guessedPrefix), out _, out var written, replaceInvalidSequences: true);
        var prefix = VarintLength((ulong)written << 1);
        if (prefix != guessedPrefix)
        {
            _buffer.AsSpan(start + guessedPrefix, written).CopyTo(_buffer.AsSpan(start + prefix));
        }

        WriteVarint(_buffer.AsSpan(start), (ulong)written << 1);
        _length = start + prefix + written;
    }

    /// <summary>Avro <c>bytes</c>: length, then the bytes.</summary>
    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        WriteLong(value.Length);
        EnsureCapacity(value.Length);
        value.CopyTo(_buffer.AsSpan(_length));
        _length += value.Length;
    }

    /// <summary>
    /// Avro <c>decimal</c> on <c>bytes</c>: the unscaled value as minimal big-endian two's complement. Like Apache.Avro, the
    /// value's scale must be the schema's; precision is not checked.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value's scale is not <paramref name="scale"/>.</exception>
    public void WriteDecimal(AvroDecimal value, int scale)
    {
        if (value.Scale != scale)
        {
            throw new ArgumentOutOfRangeException(nameof(value), $"The decimal value has a scale of {value.Scale} which cannot be encoded against a logical 'decimal' with a scale of {scale}");
        }

        var unscaled = value.UnscaledValue;
        var count = unscaled.GetByteCount();
        WriteLong(count);
        EnsureCapacity(count);
        if (!unscaled.TryWriteBytes(_buffer.AsSpan(_length, count), out var written, isUnsigned: false, isBigEndian: true) || written != count)
        {
            throw new InvalidOperationException("BigInteger wrote a different byte count than it announced.");
        }

        _length += count;
    }

    /// <summary>Avro <c>timestamp-millis</c>: milliseconds since the Unix epoch of the UTC instant (sub-millisecond ticks truncated, as Apache.Avro).</summary>
    public void WriteTimestampMillis(DateTime value) =>
        WriteLong((long)(value.ToUniversalTime() - UnixEpoch).TotalMilliseconds);

    /// <summary>Avro <c>timestamp-micros</c>: microseconds since the Unix epoch of the UTC instant.</summary>
    public void WriteTimestampMicros(DateTime value) =>
        WriteLong((value.ToUniversalTime() - UnixEpoch).Ticks / (TimeSpan.TicksPerMillisecond / 1000));

    /// <summary>Avro <c>enum</c>: the symbol's position in the schema.</summary>
    /// <exception cref="AvroTypeException"><paramref name="ordinal"/> is not a position of one of <paramref name="symbolCount"/> symbols.</exception>
    public void WriteEnum(int ordinal, int symbolCount)
    {
        if ((uint)ordinal >= (uint)symbolCount)
        {
            throw new AvroTypeException($"Unknown enum value: {ordinal} is not one of the schema's {symbolCount} symbols.");
        }

        WriteLong(ordinal);
    }

    /// <summary>Avro <c>enum</c> with a default symbol: as <see cref="WriteEnum"/>, and the default (a reader's stand-in for symbols it lacks) is refused.</summary>
    /// <exception cref="AvroTypeException"><paramref name="ordinal"/> is the default or no symbol's position.</exception>
    public void WriteKnownEnum(int ordinal, int symbolCount, int defaultOrdinal, string enumName)
    {
        if (ordinal == defaultOrdinal)
        {
            throw new AvroTypeException($"The {enumName} symbol is its default, which stands in for symbols a reader does not know; a writer names a real symbol.");
        }

        WriteEnum(ordinal, symbolCount);
    }

    /// <summary>Avro <c>union</c>: the position of the branch whose value follows.</summary>
    public void WriteUnionBranch(int branch) => WriteLong(branch);

    /// <summary>Starts an Avro <c>array</c> of <paramref name="count"/> items, written next, in one block.</summary>
    public void WriteArrayStart(int count) => WriteBlockStart(count);

    /// <summary>Ends an Avro <c>array</c> (the empty block).</summary>
    public void WriteArrayEnd() => WriteLong(0);

    /// <summary>Starts an Avro <c>map</c> of <paramref name="count"/> entries (key string, then value), written next, in one block.</summary>
    public void WriteMapStart(int count) => WriteBlockStart(count);

    /// <summary>Ends an Avro <c>map</c> (the empty block).</summary>
    public void WriteMapEnd() => WriteLong(0);

    /// <summary>The error for a null where the schema has no null branch (generated code throws it, naming the field).</summary>
    public static AvroTypeException NullValue(string field) =>
        new($"{field} is null, but its schema does not allow null.");

    private void WriteBlockStart(int count)
    {
        // An empty array or map is the end marker alone, as Apache.Avro's BinaryEncoder writes it.
        if (count > 0)
        {
            WriteLong(count);
        }
    }

    private void EnsureCapacity(int bytes)
    {
        if (_buffer.Length - _length < bytes)
        {
            Grow(bytes);
        }
    }

    private void Grow(int bytes)
    {
        var needed = (long)_length + bytes;
        var size = Math.Max(needed, Math.Min((long)_buffer.Length * 2, Array.MaxLength));
        if (size > Array.MaxLength)
        {
            throw new InvalidOperationException($"An Avro record of more than {Array.MaxLength} bytes does not fit in one buffer.");
        }

        Array.Resize(ref _buffer, (int)size);
    }

    private static int WriteVarint(Span<byte> destination, ulong value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[i++] = (byte)value;
        return i;
    }

    // 7 bits per byte.
    private static int VarintLength(ulong value) => (BitOperations.Log2(value | 1) / 7) + 1;
}
