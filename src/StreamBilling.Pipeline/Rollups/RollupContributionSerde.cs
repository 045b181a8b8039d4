using System.Buffers.Binary;
using System.Text;
using StreamBilling.Events.Common;
using StreamBilling.Storage;

namespace StreamBilling.Pipeline.Rollups;

/// <summary>
/// Binary form of a <see cref="RollupContribution"/> for the repartition topic and the contribution store: every
/// contribution is written, read back and logged once, so a compact fixed layout beats JSON. Layout: version byte,
/// flags (priced line, has currency), service, hour start ticks, used seconds and cost as decimal bits, then the
/// length-prefixed UTF-8 strings source id, region, role, currency and (from version 2) customer account. Version 1
/// bytes, in the repartition topic and the changelogged stores of an application that ran before rollups had an
/// account, still read: as contributions to no account (<see cref="RollupRow.NoAccount"/>).
/// </summary>
internal sealed class RollupContributionSerde : ISerde<RollupContribution>
{
    public static readonly RollupContributionSerde Instance = new();

    private const byte Version = 2;
    private const byte VersionWithoutAccount = 1;

    public byte[]? Serialize(RollupContribution data, SerdeContext context)
    {
        if (data is null)
        {
            return null;
        }

        var size = 1 + 1 + 4 + 8 + 16 + 16 + Utf8Size(data.SourceId) + Utf8Size(data.Region) + Utf8Size(data.Role) + Utf8Size(data.Currency ?? string.Empty) + Utf8Size(data.CustomerId);
        var bytes = new byte[size];
        var span = bytes.AsSpan();
        span[0] = Version;
        span[1] = (byte)((data.IsPricedLine ? 1 : 0) | (data.Currency is null ? 0 : 2));
        BinaryPrimitives.WriteInt32BigEndian(span[2..], (int)data.Service);
        BinaryPrimitives.WriteInt64BigEndian(span[6..], data.HourStart.UtcTicks);
        var at = 14;
        at += WriteDecimal(span[at..], data.UsedSeconds);
        at += WriteDecimal(span[at..], data.Cost);
        at += WriteString(span[at..], data.SourceId);
        at += WriteString(span[at..], data.Region);
        at += WriteString(span[at..], data.Role);
        at += WriteString(span[at..], data.Currency ?? string.Empty);
        WriteString(span[at..], data.CustomerId);
        return bytes;
    }

    public RollupContribution Deserialize(byte[]? data, SerdeContext context)
    {
        if (data is null)
        {
            return null!;
        }

        var span = data.AsSpan();
        if (span.Length < 46 || (span[0] != Version && span[0] != VersionWithoutAccount))
        {
            throw new FormatException($"Not a version {VersionWithoutAccount} or {Version} rollup contribution ({span.Length} bytes, topic {context.Topic}).");
        }

        var flags = span[1];
        var service = (ServiceKind)BinaryPrimitives.ReadInt32BigEndian(span[2..]);
        var hour = new DateTimeOffset(BinaryPrimitives.ReadInt64BigEndian(span[6..]), TimeSpan.Zero);
        var at = 14;
        var usedSeconds = ReadDecimal(span, ref at);
        var cost = ReadDecimal(span, ref at);
        var sourceId = ReadString(span, ref at);
        // Contributions stay in the store until their hour closes: repeating values are shared, not copied per record.
        var region = SharedStrings.Share(ReadString(span, ref at));
        var role = SharedStrings.Share(ReadString(span, ref at));
        var currency = SharedStrings.Share(ReadString(span, ref at));
        var customerId = span[0] == Version ? SharedStrings.Share(ReadString(span, ref at)) : RollupRow.NoAccount;
        return new RollupContribution(customerId, sourceId, (flags & 1) != 0, region, role, service, hour, usedSeconds, cost, (flags & 2) != 0 ? currency : null);
    }

    private static int Utf8Size(string value) => 4 + Encoding.UTF8.GetByteCount(value);

    private static int WriteString(Span<byte> span, string value)
    {
        var length = Encoding.UTF8.GetBytes(value, span[4..]);
        BinaryPrimitives.WriteInt32BigEndian(span, length);
        return 4 + length;
    }

    private static string ReadString(ReadOnlySpan<byte> span, ref int at)
    {
        var length = BinaryPrimitives.ReadInt32BigEndian(span[at..]);
        var value = Encoding.UTF8.GetString(span.Slice(at + 4, length));
        at += 4 + length;
        return value;
    }

    private static int WriteDecimal(Span<byte> span, decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        for (var i = 0; i < 4; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(span[(i * 4)..], bits[i]);
        }

        return 16;
    }

    private static decimal ReadDecimal(ReadOnlySpan<byte> span, ref int at)
    {
        Span<int> bits = stackalloc int[4];
        for (var i = 0; i < 4; i++)
        {
            bits[i] = BinaryPrimitives.ReadInt32BigEndian(span[(at + (i * 4))..]);
        }

        at += 16;
        return new decimal(bits);
    }
}
