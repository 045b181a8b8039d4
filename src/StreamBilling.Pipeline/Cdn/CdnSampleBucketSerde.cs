using System.Buffers.Binary;
using System.Text;

namespace StreamBilling.Pipeline.Cdn;

/// <summary>
/// Compact binary form of a <see cref="CdnSampleBucket"/> for its store and changelog: a count, then per sample the eventId
/// (length-prefixed UTF-8), usage ticks and bytes (big-endian). The bucket is rewritten on every commit that adds to it,
/// so its size matters more than a self-describing format.
/// </summary>
internal sealed class CdnSampleBucketSerde : ISerde<CdnSampleBucket>
{
    public static readonly CdnSampleBucketSerde Instance = new();

    public byte[]? Serialize(CdnSampleBucket data, SerdeContext context)
    {
        if (data is null)
        {
            return null;
        }

        var size = 4;
        foreach (var sample in data.Samples)
        {
            size += 4 + Encoding.UTF8.GetByteCount(sample.EventId) + 16;
        }

        var bytes = new byte[size];
        var span = bytes.AsSpan();
        BinaryPrimitives.WriteInt32BigEndian(span, data.Samples.Count);
        var at = 4;
        foreach (var sample in data.Samples)
        {
            var length = Encoding.UTF8.GetBytes(sample.EventId, span[(at + 4)..]);
            BinaryPrimitives.WriteInt32BigEndian(span[at..], length);
            at += 4 + length;
            BinaryPrimitives.WriteInt64BigEndian(span[at..], sample.UsageTicks);
            BinaryPrimitives.WriteInt64BigEndian(span[(at + 8)..], sample.Bytes);
            at += 16;
        }

        return bytes;
    }

    public CdnSampleBucket Deserialize(byte[]? data, SerdeContext context)
    {
        var bucket = new CdnSampleBucket();
        if (data is null)
        {
            return bucket;
        }

        var span = data.AsSpan();
        var count = BinaryPrimitives.ReadInt32BigEndian(span);
        var at = 4;
        for (var i = 0; i < count; i++)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(span[at..]);
            var eventId = Encoding.UTF8.GetString(span.Slice(at + 4, length));
            at += 4 + length;
            bucket.Samples.Add(new CdnSampleBucket.Sample(eventId, BinaryPrimitives.ReadInt64BigEndian(span[at..]), BinaryPrimitives.ReadInt64BigEndian(span[(at + 8)..])));
            at += 16;
        }

        return bucket;
    }
}
