using Avro;
using Avro.IO;
using StreamBilling.Contracts.Serialization;

namespace StreamBilling.Contracts.Tests;

public sealed class AvroBinaryWriterTests
{
    [Theory]
    [InlineData("a", 0)]
    [InlineData("a", 21)]
    [InlineData("a", 22)]
    [InlineData("a", 63)] // the last length with a one-byte prefix
    [InlineData("a", 64)]
    [InlineData("a", 8191)]
    [InlineData("a", 8192)] // the first length with a three-byte prefix
    [InlineData("€", 21)]
    [InlineData("€", 22)]
    [InlineData("€", 2730)]
    [InlineData("€", 2731)]
    [InlineData("😀", 16)]
    [InlineData("😀", 17)]
    [InlineData("\uD800", 30)] // lone surrogates: U+FFFD, 3 bytes each
    [InlineData("\uDC00a\uD800", 1)] // a low surrogate first, a high one last
    [InlineData("\uD83D\uD83D\uDE00", 1)] // a high surrogate, then a valid pair
    public void WriteString_LengthsAroundThePrefixSizes_SameBytesAsBinaryEncoder(string part, int repeat)
    {
        var text = string.Concat(Enumerable.Repeat(part, repeat));
        var writer = new AvroBinaryWriter(1);

        writer.WriteString(text);

        Assert.Equal(Encoded(e => e.WriteString(text)), writer.ToArray());
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    [InlineData(63L)]
    [InlineData(64L)]
    [InlineData(-64L)]
    [InlineData(-65L)]
    [InlineData(int.MaxValue)]
    [InlineData(int.MinValue)]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    public void WriteLong_SameBytesAsBinaryEncoder_AndReadsBack(long value)
    {
        var writer = new AvroBinaryWriter();

        writer.WriteLong(value);

        Assert.Equal(Encoded(e => e.WriteLong(value)), writer.ToArray());
        Assert.Equal(value, new AvroBinaryReader(writer.WrittenSpan).ReadLong());
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(int.MinValue)]
    [InlineData(-1)]
    public void WriteInt_SameBytesAsBinaryEncoder_AndReadsBack(int value)
    {
        var writer = new AvroBinaryWriter();

        writer.WriteInt(value);

        Assert.Equal(Encoded(e => e.WriteInt(value)), writer.ToArray());
        Assert.Equal(value, new AvroBinaryReader(writer.WrittenSpan).ReadInt());
    }

    [Fact]
    public void Reset_StartsOverInTheSameBuffer()
    {
        var writer = new AvroBinaryWriter(4);
        writer.WriteString(new string('x', 100));
        var capacity = writer.Capacity;

        writer.Reset();
        writer.WriteBoolean(true);

        Assert.Equal([1], writer.ToArray());
        Assert.Equal(capacity, writer.Capacity);
    }

    [Fact]
    public void ReadBlockCount_NegativeCount_SkipsTheBlockSizeAndReadsTheItems()
    {
        // Writers may announce a block's byte size with a negative count: -2 items, 4 bytes, "a", "b", end.
        byte[] block = [3, 8, 2, (byte)'a', 2, (byte)'b', 0];
        var reader = new AvroBinaryReader(block);

        var count = reader.ReadBlockCount();
        var items = new[] { reader.ReadString(), reader.ReadString() };

        Assert.Equal(2, count);
        Assert.Equal(["a", "b"], items);
        Assert.Equal(0, reader.ReadBlockCount());
    }

    [Fact]
    public void ReadBoolean_ByteOtherThan0Or1_ThrowsAvroException()
    {
        Assert.Throws<AvroException>(() => new AvroBinaryReader([2]).ReadBoolean());
    }

    [Fact]
    public void ReadLong_MoreThan10Bytes_ThrowsAvroException()
    {
        Assert.Throws<AvroException>(() => new AvroBinaryReader([.. Enumerable.Repeat((byte)0x80, 11), 0]).ReadLong());
    }

    [Fact]
    public void ReadString_LengthBeyondTheData_ThrowsAvroException()
    {
        Assert.Throws<AvroException>(() => new AvroBinaryReader([20, (byte)'a']).ReadString());
    }

    [Fact]
    public void ReadString_NegativeLength_ThrowsAvroException()
    {
        Assert.Throws<AvroException>(() => new AvroBinaryReader([1]).ReadString());
    }

    private static byte[] Encoded(Action<BinaryEncoder> write)
    {
        using var stream = new MemoryStream();
        write(new BinaryEncoder(stream));
        return stream.ToArray();
    }
}
