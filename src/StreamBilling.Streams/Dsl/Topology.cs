using System.Text;

namespace StreamBilling.Streams;

/// <summary>
/// The built description of a stream application: nodes, sources, sinks, stores and internal topics. Immutable; the
/// test driver and the Kafka binding create <see cref="StreamTask"/>s from it.
/// </summary>
public sealed class Topology
{
    private readonly Dictionary<string, string> _changelogTopics = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _subTopologyByTopic = new(StringComparer.Ordinal);

    internal Topology(string applicationId, string lateRecordsTopic, ISerde<RejectedRecord> lateRecordSerde, List<NodeDefinition> nodes, Dictionary<string, StoreBuilder> stores, IReadOnlyList<string> repartitionTopics)
    {
        ApplicationId = applicationId;
        LateRecordsTopic = lateRecordsTopic;
        LateRecordSerde = lateRecordSerde;
        NodeOrder = nodes;
        Nodes = nodes.ToDictionary(n => n.Name, StringComparer.Ordinal);
        StoreBuilders = stores;
        RepartitionTopics = repartitionTopics;
        foreach (var store in stores.Values)
        {
            if (store.LoggingEnabled)
            {
                _changelogTopics[store.Name] = $"{applicationId}-{store.Name}-changelog";
            }
        }

        Stores = [.. stores.Values.Select(s => new StoreDescription(s.Name, s.Kind, s.Persistent, _changelogTopics.GetValueOrDefault(s.Name)))];
        SourceTopics = [.. nodes.OfType<ISourceDefinition>().Select(s => s.Topic).Distinct(StringComparer.Ordinal)];
        SinkTopics = [.. nodes.OfType<ISinkDefinition>().Select(s => s.Topic).Append(lateRecordsTopic).Distinct(StringComparer.Ordinal)];
        SubTopologies = BuildSubTopologies();
        foreach (var sub in SubTopologies)
        {
            foreach (var topic in sub.SourceTopics)
            {
                _subTopologyByTopic[topic] = sub.Id;
            }
        }
    }

    /// <summary>Application id: consumer group and prefix of internal topics.</summary>
    public string ApplicationId { get; }

    /// <summary>Topic receiving late and unprocessable records, each as a <see cref="RejectedRecord"/> (with the reason also in headers).</summary>
    public string LateRecordsTopic { get; }

    /// <summary>Format of <see cref="LateRecordsTopic"/>'s values.</summary>
    public ISerde<RejectedRecord> LateRecordSerde { get; }

    /// <summary>Every topic read by a source node (including repartition topics).</summary>
    public IReadOnlyList<string> SourceTopics { get; }

    /// <summary>Every topic written by a sink node, plus <see cref="LateRecordsTopic"/>.</summary>
    public IReadOnlyList<string> SinkTopics { get; }

    /// <summary>Topics written and read back by this application (repartition/through).</summary>
    public IReadOnlyList<string> RepartitionTopics { get; }

    /// <summary>All stores with their changelog topics.</summary>
    public IReadOnlyList<StoreDescription> Stores { get; }

    /// <summary>Independent parts of the topology; tasks are (sub-topology, partition).</summary>
    public IReadOnlyList<SubTopologyDescription> SubTopologies { get; }

    internal IReadOnlyDictionary<string, NodeDefinition> Nodes { get; }

    internal IReadOnlyList<NodeDefinition> NodeOrder { get; }

    internal IReadOnlyDictionary<string, StoreBuilder> StoreBuilders { get; }

    /// <summary>The changelog topic of <paramref name="storeName"/> (<c>&lt;applicationId&gt;-&lt;store&gt;-changelog</c>), or null when not logged.</summary>
    public string? ChangelogTopicFor(string storeName) => _changelogTopics.GetValueOrDefault(storeName);

    /// <summary>The sub-topology that consumes <paramref name="topic"/>, or -1.</summary>
    public int SubTopologyOf(string topic) => _subTopologyByTopic.TryGetValue(topic, out var id) ? id : -1;

    /// <summary>A readable listing of sub-topologies, nodes and stores.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.Append("Topology ").AppendLine(ApplicationId);
        foreach (var sub in SubTopologies)
        {
            text.Append("  Sub-topology ").Append(sub.Id).AppendLine();
            foreach (var name in sub.NodeNames)
            {
                var node = Nodes[name];
                text.Append("    ").Append(name);
                if (node is ISourceDefinition source)
                {
                    text.Append(" (topic: ").Append(source.Topic).Append(')');
                }
                else if (node is ISinkDefinition sink)
                {
                    text.Append(" (topic: ").Append(sink.Topic).Append(')');
                }

                if (node.StoreNames.Count > 0)
                {
                    text.Append(" stores: ").AppendJoin(", ", node.StoreNames);
                }

                if (node.Children.Count > 0)
                {
                    text.Append(" --> ").AppendJoin(", ", node.Children);
                }

                text.AppendLine();
            }
        }

        foreach (var store in Stores)
        {
            text.Append("  Store ").Append(store.Name).Append(" (").Append(store.Kind).Append(store.Persistent ? ", rocksdb" : ", in-memory")
                .Append(", changelog: ").Append(store.ChangelogTopic ?? "none").AppendLine(")");
        }

        return text.ToString();
    }

    private List<SubTopologyDescription> BuildSubTopologies()
    {
        // Union-find over nodes: parent/child edges and a shared store put nodes in one sub-topology.
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < NodeOrder.Count; i++)
        {
            index[NodeOrder[i].Name] = i;
        }

        var parent = Enumerable.Range(0, NodeOrder.Count).ToArray();
        int Find(int x)
        {
            while (parent[x] != x)
            {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }

            return x;
        }

        void Union(int a, int b)
        {
            var ra = Find(a);
            var rb = Find(b);
            if (ra != rb)
            {
                parent[Math.Max(ra, rb)] = Math.Min(ra, rb);
            }
        }

        var storeOwner = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < NodeOrder.Count; i++)
        {
            foreach (var child in NodeOrder[i].Children)
            {
                Union(i, index[child]);
            }

            foreach (var store in NodeOrder[i].StoreNames)
            {
                if (storeOwner.TryGetValue(store, out var other))
                {
                    Union(i, other);
                }
                else
                {
                    storeOwner[store] = i;
                }
            }
        }

        var groups = new SortedDictionary<int, List<NodeDefinition>>();
        for (var i = 0; i < NodeOrder.Count; i++)
        {
            var root = Find(i);
            if (!groups.TryGetValue(root, out var list))
            {
                groups[root] = list = [];
            }

            list.Add(NodeOrder[i]);
        }

        var result = new List<SubTopologyDescription>();
        foreach (var nodes in groups.Values)
        {
            result.Add(new SubTopologyDescription(
                result.Count,
                [.. nodes.OfType<ISourceDefinition>().Select(s => s.Topic).Distinct(StringComparer.Ordinal)],
                [.. nodes.OfType<ISinkDefinition>().Select(s => s.Topic).Distinct(StringComparer.Ordinal)],
                [.. nodes.SelectMany(n => n.StoreNames).Distinct(StringComparer.Ordinal)],
                [.. nodes.Select(n => n.Name)]));
        }

        return result;
    }
}
