using Avro.Specific;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using StreamBilling.Contracts.Serialization;

namespace StreamBilling.Kafka;

/// <summary>Confluent client serializer and deserializer over <see cref="AvroWireCodec{T}"/>.</summary>
/// <typeparam name="T">The generated record class.</typeparam>
internal sealed class AvroWireSerde<T>(ISchemaRegistryClient registry) : ISerializer<T>, IDeserializer<T>
    where T : ISpecificRecord, new()
{
    private readonly AvroWireCodec<T> _codec = new(registry);

    // A null value is a tombstone (compacted topics): no schema, no bytes.
    public byte[] Serialize(T data, SerializationContext context) =>
        data is null ? null! : _codec.Serialize(data, context.Topic, context.Component == MessageComponentType.Key);

    public T Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context) =>
        isNull ? default! : _codec.Deserialize(data);
}
