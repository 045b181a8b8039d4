using System.Diagnostics.CodeAnalysis;

namespace StreamBilling.Streams;

/// <summary>A typed record stream in a topology under construction.</summary>
/// <typeparam name="TKey">Key type.</typeparam>
/// <typeparam name="TValue">Value type.</typeparam>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "Kafka Streams names (KStream) that the topology code is written against; not a System.IO.Stream.")]
public sealed class KStream<TKey, TValue>
    where TKey : notnull
{
    private readonly StreamsBuilder _builder;
    private readonly ISerde<TKey>? _keySerde;
    private readonly ISerde<TValue>? _valueSerde;
    private readonly bool _keyChanged;

    internal KStream(StreamsBuilder builder, string nodeName, ISerde<TKey>? keySerde, ISerde<TValue>? valueSerde, bool keyChanged)
    {
        _builder = builder;
        NodeName = nodeName;
        _keySerde = keySerde;
        _valueSerde = valueSerde;
        _keyChanged = keyChanged;
    }

    /// <summary>Name of the node producing this stream.</summary>
    public string NodeName { get; }

    /// <summary>Keeps records matching <paramref name="predicate"/>.</summary>
    public KStream<TKey, TValue> Filter(Func<TKey, TValue, bool> predicate) =>
        Stateless("filter", () => new FilterProcessor<TKey, TValue>(predicate, keep: true), _keySerde, _valueSerde, _keyChanged);

    /// <summary>Drops records matching <paramref name="predicate"/>.</summary>
    public KStream<TKey, TValue> FilterNot(Func<TKey, TValue, bool> predicate) =>
        Stateless("filter-not", () => new FilterProcessor<TKey, TValue>(predicate, keep: false), _keySerde, _valueSerde, _keyChanged);

    /// <summary>Replaces key and value (marks the stream for repartitioning before grouping).</summary>
    public KStream<TKeyOut, TValueOut> Map<TKeyOut, TValueOut>(Func<TKey, TValue, (TKeyOut Key, TValueOut Value)> mapper)
        where TKeyOut : notnull =>
        Stateless<TKeyOut, TValueOut>("map", () => new MapProcessor<TKey, TValue, TKeyOut, TValueOut>(mapper), null, null, keyChanged: true);

    /// <summary>Replaces the value.</summary>
    public KStream<TKey, TValueOut> MapValues<TValueOut>(Func<TValue, TValueOut> mapper) => MapValues<TValueOut>((_, value) => mapper(value));

    /// <summary>Replaces the value, seeing the key.</summary>
    public KStream<TKey, TValueOut> MapValues<TValueOut>(Func<TKey, TValue, TValueOut> mapper) =>
        Stateless<TKey, TValueOut>("map-values", () => new MapValuesProcessor<TKey, TValue, TValueOut>(mapper), _keySerde, null, _keyChanged);

    /// <summary>Replaces each record by zero or more records (marks the stream for repartitioning).</summary>
    public KStream<TKeyOut, TValueOut> FlatMap<TKeyOut, TValueOut>(Func<TKey, TValue, IEnumerable<(TKeyOut Key, TValueOut Value)>> mapper)
        where TKeyOut : notnull =>
        Stateless<TKeyOut, TValueOut>("flat-map", () => new FlatMapProcessor<TKey, TValue, TKeyOut, TValueOut>(mapper), null, null, keyChanged: true);

    /// <summary>Replaces each value by zero or more values under the same key.</summary>
    public KStream<TKey, TValueOut> FlatMapValues<TValueOut>(Func<TKey, TValue, IEnumerable<TValueOut>> mapper) =>
        Stateless<TKey, TValueOut>("flat-map-values", () => new FlatMapProcessor<TKey, TValue, TKey, TValueOut>((k, v) => mapper(k, v).Select(x => (k, x))), _keySerde, null, _keyChanged);

    /// <summary>Sets a new key computed from key and value (marks the stream for repartitioning).</summary>
    public KStream<TKeyOut, TValue> SelectKey<TKeyOut>(Func<TKey, TValue, TKeyOut> selector)
        where TKeyOut : notnull =>
        Stateless<TKeyOut, TValue>("select-key", () => new MapProcessor<TKey, TValue, TKeyOut, TValue>((k, v) => (selector(k, v), v)), null, _valueSerde, keyChanged: true);

    /// <summary>Calls <paramref name="action"/> for each record and passes it on unchanged.</summary>
    public KStream<TKey, TValue> Peek(Action<TKey, TValue> action) =>
        Stateless("peek", () => new FilterProcessor<TKey, TValue>((k, v) => { action(k, v); return true; }, keep: true), _keySerde, _valueSerde, _keyChanged);

    /// <summary>One stream with the records of both (sources must be co-partitioned).</summary>
    public KStream<TKey, TValue> Merge(KStream<TKey, TValue> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var name = _builder.AddNode(new ProcessorNodeDefinition<TKey, TValue>(_builder.NextName("merge"), () => new FilterProcessor<TKey, TValue>(static (_, _) => true, keep: true)), NodeName, other.NodeName);
        return new KStream<TKey, TValue>(_builder, name, _keySerde, _valueSerde, _keyChanged || other._keyChanged);
    }

    /// <summary>Splits the stream: each record goes to the first branch whose predicate matches, or nowhere.</summary>
    public IReadOnlyList<KStream<TKey, TValue>> Branch(params Func<TKey, TValue, bool>[] predicates)
    {
        ArgumentNullException.ThrowIfNull(predicates);
        var branchNode = _builder.NextName("branch");
        var childNames = new string[predicates.Length];
        for (var i = 0; i < predicates.Length; i++)
        {
            childNames[i] = $"{branchNode}-{i}";
        }

        var captured = predicates.ToArray();
        _builder.AddNode(new ProcessorNodeDefinition<TKey, TValue>(branchNode, () => new BranchProcessor<TKey, TValue>(captured, childNames)), NodeName);
        var branches = new List<KStream<TKey, TValue>>(predicates.Length);
        foreach (var childName in childNames)
        {
            var name = _builder.AddNode(new ProcessorNodeDefinition<TKey, TValue>(childName, () => new FilterProcessor<TKey, TValue>(static (_, _) => true, keep: true)), branchNode);
            branches.Add(new KStream<TKey, TValue>(_builder, name, _keySerde, _valueSerde, _keyChanged));
        }

        return branches;
    }

    /// <summary>
    /// Adds a low-level processor connected to <paramref name="storeNames"/>; it forwards <c>Record&lt;TKeyOut, TValueOut&gt;</c>.
    /// </summary>
    public KStream<TKeyOut, TValueOut> Process<TKeyOut, TValueOut>(Func<IProcessor<TKey, TValue>> supplier, IReadOnlyList<string>? storeNames = null, string? name = null)
        where TKeyOut : notnull
    {
        ArgumentNullException.ThrowIfNull(supplier);
        var nodeName = _builder.AddNode(new ProcessorNodeDefinition<TKey, TValue>(name ?? _builder.NextName("process"), supplier), NodeName);
        if (storeNames is not null)
        {
            _builder.ConnectStores(nodeName, storeNames);
        }

        return new KStream<TKeyOut, TValueOut>(_builder, nodeName, null, null, keyChanged: true);
    }

    /// <summary>
    /// Writes to <paramref name="topic"/> and reads it back (Kafka's through/repartition), so records are partitioned
    /// by their current key. Without a topic, an internal <c>&lt;applicationId&gt;-&lt;name&gt;-repartition</c> topic is used.
    /// </summary>
    public KStream<TKey, TValue> Repartition(string? topic = null, ISerde<TKey>? keySerde = null, ISerde<TValue>? valueSerde = null)
    {
        var keys = keySerde ?? _keySerde ?? Serdes.Default<TKey>();
        var values = valueSerde ?? _valueSerde ?? Serdes.Default<TValue>();
        var sinkName = _builder.NextName("repartition-sink");
        topic ??= $"{_builder.ApplicationId}-{sinkName}-repartition";
        _builder.AddNode(new SinkNodeDefinition<TKey, TValue>(sinkName, topic, keys, values), NodeName);
        _builder.AddSourceTopic(topic);
        _builder.AddRepartitionTopic(topic);
        var sourceName = _builder.AddNode(new SourceNodeDefinition<TKey, TValue>(_builder.NextName("repartition-source"), topic, keys, values));
        return new KStream<TKey, TValue>(_builder, sourceName, keys, values, keyChanged: false);
    }

    /// <summary>Writes every record to <paramref name="topic"/> with a deterministic <c>sb-id</c> header.</summary>
    public void To(string topic, ISerde<TKey>? keySerde = null, ISerde<TValue>? valueSerde = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        _builder.AddNode(new SinkNodeDefinition<TKey, TValue>(_builder.NextName("sink"), topic, keySerde ?? _keySerde ?? Serdes.Default<TKey>(), valueSerde ?? _valueSerde ?? Serdes.Default<TValue>()), NodeName);
    }

    /// <summary>
    /// Groups by the current key for an aggregation. When the key was changed upstream (Map, SelectKey, FlatMap, Process)
    /// the records first go through an internal repartition topic, as in Kafka Streams.
    /// </summary>
    public KGroupedStream<TKey, TValue> GroupByKey(ISerde<TKey>? keySerde = null, ISerde<TValue>? valueSerde = null)
    {
        var keys = keySerde ?? _keySerde ?? Serdes.Default<TKey>();
        var values = valueSerde ?? _valueSerde ?? Serdes.Default<TValue>();
        var stream = _keyChanged ? Repartition(null, keys, values) : this;
        return new KGroupedStream<TKey, TValue>(_builder, stream.NodeName, keys, values);
    }

    private KStream<TKeyOut, TValueOut> Stateless<TKeyOut, TValueOut>(string kind, Func<IProcessor<TKey, TValue>> supplier, ISerde<TKeyOut>? keySerde, ISerde<TValueOut>? valueSerde, bool keyChanged)
        where TKeyOut : notnull
    {
        var name = _builder.AddNode(new ProcessorNodeDefinition<TKey, TValue>(_builder.NextName(kind), supplier), NodeName);
        return new KStream<TKeyOut, TValueOut>(_builder, name, keySerde, valueSerde, keyChanged);
    }
}
