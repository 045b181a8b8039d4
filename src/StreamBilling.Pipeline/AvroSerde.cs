using Avro.Specific;
using Confluent.SchemaRegistry;
using StreamBilling.Contracts.Serialization;

namespace StreamBilling.Pipeline;

/// <summary>Adapts <see cref="AvroWireCodec{T}"/> (Confluent wire format, TopicNameStrategy) to the runtime's <see cref="ISerde{T}"/>.</summary>
internal sealed class AvroSerde<T>(ISchemaRegistryClient registry) : ISerde<T>
    where T : class, ISpecificRecord, new()
{
    private readonly AvroWireCodec<T> _codec = new(registry);

    public byte[]? Serialize(T data, SerdeContext context) =>
        data is null ? null : _codec.Serialize(data, context.Topic, context.IsKey, recordNameSubject: context.EmbeddedPayload);

    /// <summary>
    /// Every topic the pipeline reads is a stream of events and no topology writes tombstones, so a record without a value
    /// is as unreadable as random bytes: it throws, and the runtime's deserialization-error policy takes it (the
    /// processors are not written for a null event).
    /// </summary>
    public T Deserialize(byte[]? data, SerdeContext context) =>
        data is null
            ? throw new InvalidDataException($"A {typeof(T).Name} record on '{context.Topic}' needs a value; this one has none (null).")
            : _codec.Deserialize(data);
}
