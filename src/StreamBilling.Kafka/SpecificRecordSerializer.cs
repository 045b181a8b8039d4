using System.Collections.Concurrent;
using Avro.Specific;
using Confluent.Kafka;
using Confluent.SchemaRegistry;

namespace StreamBilling.Kafka;

/// <summary>
/// Serializes values of any generated Avro class for one producer that writes many topics (the simulator, CSV replay):
/// each value goes through a typed <see cref="Contracts.Serialization.AvroWireCodec{T}"/> for its runtime type, created on first use and cached.
/// Subjects follow TopicNameStrategy, so each (topic, type) pair registers <c>&lt;topic&gt;-value</c> once; the typed
/// serializer keeps the schema id per subject, so after the first record of a pair the cost is a dictionary lookup.
/// </summary>
internal sealed class SpecificRecordSerializer(ISchemaRegistryClient registry) : ISerializer<ISpecificRecord>
{
    private readonly ConcurrentDictionary<Type, ISerializer<ISpecificRecord>> _byType = new();

    public byte[] Serialize(ISpecificRecord data, SerializationContext context)
    {
        // A null value is a tombstone (compacted topics): no schema, no bytes.
        if (data is null)
        {
            return null!;
        }

        return _byType.GetOrAdd(data.GetType(), Create).Serialize(data, context);
    }

    private ISerializer<ISpecificRecord> Create(Type type) =>
        (ISerializer<ISpecificRecord>)Activator.CreateInstance(typeof(Typed<>).MakeGenericType(type), registry)!;

    /// <summary>The typed serializer behind one record class.</summary>
    private sealed class Typed<T>(ISchemaRegistryClient registry) : ISerializer<ISpecificRecord>
        where T : ISpecificRecord, new()
    {
        private readonly AvroWireSerde<T> _inner = new(registry);

        public byte[] Serialize(ISpecificRecord data, SerializationContext context) => _inner.Serialize((T)data, context);
    }
}
