using Avro.Specific;
using Confluent.SchemaRegistry;
using StreamBilling.Kafka;

namespace StreamBilling.Pipeline;

/// <summary>Adapts <see cref="AvroWireCodec{T}"/> (Confluent wire format, TopicNameStrategy) to the runtime's <see cref="ISerde{T}"/>.</summary>
internal sealed class AvroSerde<T>(ISchemaRegistryClient registry) : ISerde<T>
    where T : class, ISpecificRecord, new()
{
    private readonly AvroWireCodec<T> _codec = new(registry);

    public byte[]? Serialize(T data, SerdeContext context) =>
        data is null ? null : _codec.Serialize(data, context.Topic, context.IsKey);

    public T Deserialize(byte[]? data, SerdeContext context) =>
        data is null ? default! : _codec.Deserialize(data);
}
