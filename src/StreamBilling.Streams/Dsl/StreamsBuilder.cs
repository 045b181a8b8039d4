namespace StreamBilling.Streams;

/// <summary>Builds a <see cref="Topology"/> with a typed DSL: sources, stateless steps, processors with stores, windowed aggregations, sinks.</summary>
public sealed class StreamsBuilder
{
    private readonly List<NodeDefinition> _nodes = [];
    private readonly Dictionary<string, NodeDefinition> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StoreBuilder> _stores = new(StringComparer.Ordinal);
    private readonly HashSet<string> _sourceTopics = new(StringComparer.Ordinal);
    private readonly List<string> _repartitionTopics = [];
    private string? _lateRecordsTopic;
    private ISerde<RejectedRecord>? _lateRecordSerde;
    private int _counter;
    private bool _built;

    /// <summary>Starts a topology for <paramref name="applicationId"/> (consumer group, prefix of internal topics).</summary>
    public StreamsBuilder(string applicationId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(applicationId);
        ApplicationId = applicationId;
    }

    /// <summary>Application id.</summary>
    public string ApplicationId { get; }

    /// <summary>Topic for late and unprocessable records; defaults to <c>&lt;applicationId&gt;-late-records</c>. Can be set once.</summary>
    public string LateRecordsTopic
    {
        get => _lateRecordsTopic ?? $"{ApplicationId}-late-records";
        set
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(value);
            if (_lateRecordsTopic is not null)
            {
                throw new InvalidOperationException("LateRecordsTopic is already set.");
            }

            _lateRecordsTopic = value;
        }
    }

    /// <summary>
    /// Format of the late-records topic's values: every rejected record, whatever its type, goes there wrapped in one
    /// <see cref="RejectedRecord"/>. Defaults to JSON (<see cref="Serdes.Json{T}"/>); an application with a schema registry sets
    /// its Avro envelope. Can be set once.
    /// </summary>
    public ISerde<RejectedRecord> LateRecordSerde
    {
        get => _lateRecordSerde ?? DefaultLateRecordSerde;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            if (_lateRecordSerde is not null)
            {
                throw new InvalidOperationException("LateRecordSerde is already set.");
            }

            _lateRecordSerde = value;
        }
    }

    private static ISerde<RejectedRecord> DefaultLateRecordSerde { get; } = Serdes.Json<RejectedRecord>();

    /// <summary>A stream read from <paramref name="topic"/>; serdes default to <see cref="Serdes.Default{T}"/>.</summary>
    public KStream<TKey, TValue> Stream<TKey, TValue>(string topic, ISerde<TKey>? keySerde = null, ISerde<TValue>? valueSerde = null)
        where TKey : notnull
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        keySerde ??= Serdes.Default<TKey>();
        valueSerde ??= Serdes.Default<TValue>();
        if (!_sourceTopics.Add(topic))
        {
            throw new InvalidOperationException($"Topic '{topic}' is already a source; merge the existing stream instead.");
        }

        var name = AddNode(new SourceNodeDefinition<TKey, TValue>(NextName("source"), topic, keySerde, valueSerde));
        return new KStream<TKey, TValue>(this, name, keySerde, valueSerde, keyChanged: false);
    }

    /// <summary>Registers a store that processors can connect to by name.</summary>
    public StreamsBuilder AddStateStore(StoreBuilder store)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (!_stores.TryAdd(store.Name, store))
        {
            throw new InvalidOperationException($"A store named '{store.Name}' already exists.");
        }

        return this;
    }

    /// <summary>Builds the topology; the builder cannot be used afterwards.</summary>
    public Topology Build()
    {
        EnsureNotBuilt();
        _built = true;
        foreach (var node in _nodes)
        {
            foreach (var store in node.StoreNames)
            {
                if (!_stores.ContainsKey(store))
                {
                    throw new InvalidOperationException($"Node '{node.Name}' uses store '{store}', which was never added.");
                }
            }
        }

        return new Topology(ApplicationId, LateRecordsTopic, LateRecordSerde, _nodes, _stores, _repartitionTopics);
    }

    internal string NextName(string prefix) => $"{prefix}-{_counter++:D4}";

    internal string AddNode(NodeDefinition node, params ReadOnlySpan<string> parents)
    {
        EnsureNotBuilt();
        if (!_byName.TryAdd(node.Name, node))
        {
            throw new InvalidOperationException($"A node named '{node.Name}' already exists.");
        }

        _nodes.Add(node);
        foreach (var parent in parents)
        {
            node.Parents.Add(parent);
            _byName[parent].Children.Add(node.Name);
        }

        return node.Name;
    }

    internal void ConnectStores(string nodeName, IEnumerable<string> storeNames) => _byName[nodeName].StoreNames.AddRange(storeNames);

    internal bool HasStore(string name) => _stores.ContainsKey(name);

    internal void AddSourceTopic(string topic)
    {
        if (!_sourceTopics.Add(topic))
        {
            throw new InvalidOperationException($"Topic '{topic}' is already a source.");
        }
    }

    internal void AddRepartitionTopic(string topic) => _repartitionTopics.Add(topic);

    private void EnsureNotBuilt()
    {
        if (_built)
        {
            throw new InvalidOperationException("The topology was already built.");
        }
    }
}
