using Avro.Specific;
using Confluent.Kafka;
using Confluent.Kafka.SyncOverAsync;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;

namespace StreamBilling.Pipeline;

/// <summary>Adapts Confluent's Avro serializer and deserializer to the runtime's <see cref="ISerde{T}"/>.</summary>
internal sealed class AvroSerde<T> : ISerde<T>
    where T : class, ISpecificRecord
{
    private readonly ISerializer<T> _serializer;
    private readonly IDeserializer<T> _deserializer;

    public AvroSerde(ISchemaRegistryClient registry)
    {
        // The runtime calls serdes synchronously on its processing thread; the registry lookups are cached after the first call.
        _serializer = new AvroSerializer<T>(registry, new AvroSerializerConfig { AutoRegisterSchemas = true, SubjectNameStrategy = SubjectNameStrategy.Topic })
            .AsSyncOverAsync();
        _deserializer = new AvroDeserializer<T>(registry, new AvroDeserializerConfig { SubjectNameStrategy = SubjectNameStrategy.Topic })
            .AsSyncOverAsync();
    }

    public byte[]? Serialize(T data, SerdeContext context) =>
        data is null ? null : _serializer.Serialize(data, Context(context));

    public T Deserialize(byte[]? data, SerdeContext context) =>
        data is null ? default! : _deserializer.Deserialize(data, isNull: false, Context(context));

    private static SerializationContext Context(SerdeContext context) =>
        new(context.IsKey ? MessageComponentType.Key : MessageComponentType.Value, context.Topic);
}
