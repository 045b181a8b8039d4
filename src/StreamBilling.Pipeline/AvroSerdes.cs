using System.Collections.Concurrent;
using Avro.Specific;
using Confluent.SchemaRegistry;
using StreamBilling.Pipeline.Wire;

namespace StreamBilling.Pipeline;

/// <summary>
/// Runtime serdes for the generated Avro classes, in Confluent's wire format (magic byte, schema id, Avro binary) with
/// TopicNameStrategy subjects (<c>&lt;topic&gt;-value</c>) against <paramref name="registry"/>. Topologies use them for
/// every source and sink, so the test driver exercises the same bytes as the cluster.
/// </summary>
/// <param name="registry">Schema registry (the in-memory one in embedded mode and tests).</param>
public sealed class AvroSerdes(ISchemaRegistryClient registry)
{
    private readonly ISchemaRegistryClient _registry = registry ?? throw new ArgumentNullException(nameof(registry));
    private readonly ConcurrentDictionary<Type, object> _serdes = new();
    private readonly Lazy<ISerde<RejectedRecord>> _lateRecords = new(() => new LateRecordSerde(registry));

    /// <summary>The schema registry the serdes register and resolve schemas with.</summary>
    public ISchemaRegistryClient Registry => _registry;

    /// <summary>
    /// The late-records topics' format: every rejected record, whatever its type, inside one Avro <c>LateRecord</c>
    /// envelope (<c>schemas/StreamBilling.Events.Outputs.LateRecord.avsc</c>), so a late topic is one subject.
    /// </summary>
    public ISerde<RejectedRecord> LateRecords => _lateRecords.Value;

    /// <summary>The serde of <typeparamref name="T"/> (one instance per type).</summary>
    public ISerde<T> For<T>()
        where T : class, ISpecificRecord, new() =>
        (ISerde<T>)_serdes.GetOrAdd(typeof(T), static (_, registry) => new AvroSerde<T>(registry), _registry);
}
