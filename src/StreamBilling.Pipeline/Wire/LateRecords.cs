using System.Buffers.Binary;
using WireLateRecord = StreamBilling.Events.Outputs.LateRecord;

namespace StreamBilling.Pipeline.Wire;

/// <summary>
/// The runtime's <see cref="Streams.RejectedRecord"/> and the Avro <see cref="WireLateRecord"/> envelope every late-records
/// topic holds (<c>schemas/StreamBilling.Events.Outputs.LateRecord.avsc</c>), mapped field by field.
/// </summary>
public static class LateRecords
{
    /// <summary>First byte of a value in Confluent's wire format (then a 4-byte big-endian schema id, then the Avro body).</summary>
    private const byte WireFormatMagic = 0;

    /// <summary>The envelope of <paramref name="late"/>, with the value's schema id when the value is in Confluent's wire format.</summary>
    public static WireLateRecord ToWire(Streams.RejectedRecord late)
    {
        ArgumentNullException.ThrowIfNull(late);
        return new WireLateRecord
        {
            id = late.Id,
            applicationId = late.ApplicationId,
            reason = late.Reason,
            rejectedBy = late.RejectedBy,
            sourceTopic = late.SourceTopic,
            sourcePartition = late.SourcePartition,
            sourceOffset = late.SourceOffset,
            timestamp = AvroTime.To(late.Timestamp),
            streamTime = late.StreamTime is { } streamTime ? AvroTime.To(streamTime) : null,
            windowStart = late.WindowStart is { } windowStart ? AvroTime.To(windowStart) : null,
            key = late.Key,
            value = late.Value,
            valueSchemaId = SchemaIdOf(late.Value),
        };
    }

    /// <summary>The runtime's view of an envelope read from a late-records topic.</summary>
    public static Streams.RejectedRecord ToDomain(WireLateRecord late)
    {
        ArgumentNullException.ThrowIfNull(late);
        return new Streams.RejectedRecord
        {
            Id = late.id,
            ApplicationId = late.applicationId,
            Reason = late.reason,
            RejectedBy = late.rejectedBy,
            SourceTopic = late.sourceTopic,
            SourcePartition = late.sourcePartition,
            SourceOffset = late.sourceOffset,
            Timestamp = AvroTime.From(late.timestamp),
            StreamTime = late.streamTime is { } streamTime ? AvroTime.From(streamTime) : null,
            WindowStart = late.windowStart is { } windowStart ? AvroTime.From(windowStart) : null,
            Key = late.key,
            Value = late.value,
        };
    }

    /// <summary>The writer schema id of <paramref name="value"/> when it is in Confluent's wire format, else null (JSON, raw bytes).</summary>
    public static int? SchemaIdOf(byte[]? value) =>
        value is { Length: > 5 } && value[0] == WireFormatMagic ? BinaryPrimitives.ReadInt32BigEndian(value.AsSpan(1, 4)) : null;
}
