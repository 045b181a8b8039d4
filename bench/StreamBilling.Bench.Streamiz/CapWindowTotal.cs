using System.Buffers.Binary;
using System.Text;
using Confluent.Kafka;
using Streamiz.Kafka.Net.SerDes;

namespace StreamBilling.Bench.Streamiz;

/// <summary>
/// A cap window's aggregate on Streamiz: its byte total and the sample that last changed it, so a per-update result
/// tells whether that sample made the window cross (total above the limit, total before it not).
/// </summary>
public sealed record CapWindowTotal(long Total, long LastBytes, string LastEventId)
{
    public static CapWindowTotal Empty { get; } = new(0, 0, "");

    public bool CrossedBy(long limit) => Total > limit && Total - LastBytes <= limit;

    /// <summary>Binary serde: total, last bytes (big-endian longs), last eventId (UTF-8).</summary>
    public sealed class SerDes : AbstractSerDes<CapWindowTotal>
    {
        public override byte[] Serialize(CapWindowTotal data, SerializationContext context)
        {
            var id = Encoding.UTF8.GetBytes(data.LastEventId);
            var bytes = new byte[16 + id.Length];
            BinaryPrimitives.WriteInt64BigEndian(bytes, data.Total);
            BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(8), data.LastBytes);
            id.CopyTo(bytes, 16);
            return bytes;
        }

        public override CapWindowTotal Deserialize(byte[] data, SerializationContext context) =>
            new(BinaryPrimitives.ReadInt64BigEndian(data), BinaryPrimitives.ReadInt64BigEndian(data.AsSpan(8)), Encoding.UTF8.GetString(data, 16, data.Length - 16));
    }
}
