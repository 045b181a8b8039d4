namespace StreamBilling.Streams;

/// <summary>The processor context of one node in one task.</summary>
internal sealed class NodeContext(StreamTask task, NodeInstance node, HashSet<string> connectedStores) : IProcessorContext
{
    public StreamTask Task { get; } = task;

    public string ApplicationId => Task.Topology.ApplicationId;

    public TaskId TaskId => Task.Id;

    public string NodeName => node.Name;

    public RecordMetadata? RecordMetadata => Task.CurrentMetadata;

    public DateTimeOffset StreamTime => Task.StreamTime;

    public DateTimeOffset WallClockTime => Task.TimeProvider.GetUtcNow();

    public TStore GetStateStore<TStore>(string name)
        where TStore : class, IStateStore
    {
        if (!connectedStores.Contains(name))
        {
            throw new InvalidOperationException($"Processor '{node.Name}' is not connected to store '{name}'; pass it when adding the processor.");
        }

        return Task.GetStateStore<TStore>(name);
    }

    public void Forward<TKeyOut, TValueOut>(Record<TKeyOut, TValueOut> record)
    {
        var children = node.Children;
        for (var i = 0; i < children.Length; i++)
        {
            if (children[i] is RecordNode<TKeyOut, TValueOut> child)
            {
                child.Process(record);
            }
            else
            {
                throw TypeMismatch<TKeyOut, TValueOut>(children[i]);
            }
        }
    }

    public void Forward<TKeyOut, TValueOut>(Record<TKeyOut, TValueOut> record, string childName)
    {
        foreach (var child in node.Children)
        {
            if (string.Equals(child.Name, childName, StringComparison.Ordinal))
            {
                var typed = child as RecordNode<TKeyOut, TValueOut> ?? throw TypeMismatch<TKeyOut, TValueOut>(child);
                typed.Process(record);
                return;
            }
        }

        throw new InvalidOperationException($"Node '{node.Name}' has no child named '{childName}'.");
    }

    public ICancellable Schedule(TimeSpan interval, PunctuationType type, Action<DateTimeOffset> callback) =>
        Task.Schedule(node.Name, interval, type, callback);

    public void SendToLateRecords<TKeyOut, TValueOut>(Record<TKeyOut, TValueOut> record, string reason, ISerde<TKeyOut> keySerde, ISerde<TValueOut> valueSerde) =>
        Task.SendLate(record, reason, node.Name, keySerde, valueSerde, windowStart: null);

    private InvalidOperationException TypeMismatch<TKeyOut, TValueOut>(NodeInstance child) =>
        new($"Node '{node.Name}' forwarded Record<{typeof(TKeyOut).Name}, {typeof(TValueOut).Name}> but child '{child.Name}' accepts other types.");
}
