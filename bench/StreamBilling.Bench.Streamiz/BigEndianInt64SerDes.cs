using System.Buffers.Binary;
using Confluent.Kafka;
using Streamiz.Kafka.Net.SerDes;

namespace StreamBilling.Bench.Streamiz;

/// <summary>8-byte big-endian long, the wire format of the bench input (Streamiz's Int64SerDes is machine-endian).</summary>
public sealed class BigEndianInt64SerDes : AbstractSerDes<long>
{
    public override byte[] Serialize(long data, SerializationContext context)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, data);
        return bytes;
    }

    public override long Deserialize(byte[] data, SerializationContext context) => BinaryPrimitives.ReadInt64BigEndian(data);
}
