using Confluent.SchemaRegistry;
using StreamBilling.Contracts.Serialization;
using WireLateRecord = StreamBilling.Events.Outputs.LateRecord;

namespace StreamBilling.Pipeline.Wire;

/// <summary>
/// Writes the runtime's late records as the Avro <see cref="WireLateRecord"/> envelope, in Confluent's wire format under
/// the late topic's own subject (<c>&lt;topic&gt;-value</c>): one schema per late topic, whatever the rejected records' types.
/// </summary>
internal sealed class LateRecordSerde(ISchemaRegistryClient registry) : ISerde<Streams.RejectedRecord>
{
    private readonly AvroWireCodec<WireLateRecord> _codec = new(registry);

    public byte[]? Serialize(Streams.RejectedRecord data, SerdeContext context) =>
        data is null ? null : _codec.Serialize(LateRecords.ToWire(data), context.Topic, context.IsKey);

    public Streams.RejectedRecord Deserialize(byte[]? data, SerdeContext context) =>
        data is null
            ? throw new InvalidDataException($"A late record on '{context.Topic}' needs a value; this one has none (null).")
            : LateRecords.ToDomain(_codec.Deserialize(data));
}
