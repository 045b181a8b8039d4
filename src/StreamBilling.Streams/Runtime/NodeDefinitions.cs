namespace StreamBilling.Streams;

/// <summary>A node of the topology description; creates its runtime instance once per task.</summary>
internal abstract class NodeDefinition(string name)
{
    public string Name { get; } = name;

    public List<string> Parents { get; } = [];

    public List<string> Children { get; } = [];

    public List<string> StoreNames { get; } = [];

    public abstract NodeInstance Create();
}

internal interface ISourceDefinition
{
    string Topic { get; }
}

internal interface ISinkDefinition
{
    string Topic { get; }
}

internal sealed class SourceNodeDefinition<TKey, TValue>(string name, string topic, ISerde<TKey> keySerde, ISerde<TValue> valueSerde)
    : NodeDefinition(name), ISourceDefinition
{
    public string Topic { get; } = topic;

    public override NodeInstance Create() => new SourceNode<TKey, TValue>(Name, Topic, keySerde, valueSerde);
}

internal sealed class ProcessorNodeDefinition<TKey, TValue>(string name, Func<IProcessor<TKey, TValue>> supplier)
    : NodeDefinition(name)
{
    public override NodeInstance Create() => new ProcessorNode<TKey, TValue>(Name, supplier());
}

internal sealed class SinkNodeDefinition<TKey, TValue>(string name, string topic, ISerde<TKey> keySerde, ISerde<TValue> valueSerde)
    : NodeDefinition(name), ISinkDefinition
{
    public string Topic { get; } = topic;

    public override NodeInstance Create() => new SinkNode<TKey, TValue>(Name, Topic, keySerde, valueSerde);
}
