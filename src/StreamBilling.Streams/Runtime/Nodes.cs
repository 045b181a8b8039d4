namespace StreamBilling.Streams;

/// <summary>Runtime instance of a node inside one task.</summary>
internal abstract class NodeInstance(string name)
{
    public string Name { get; } = name;

    public NodeInstance[] Children { get; set; } = [];

    public NodeContext Context { get; set; } = null!;

    public virtual void Init()
    {
    }

    public virtual void Flush()
    {
    }

    public virtual void Close()
    {
    }
}

/// <summary>A node that accepts records of one key/value type.</summary>
internal abstract class RecordNode<TKey, TValue>(string name) : NodeInstance(name)
{
    public abstract void Process(Record<TKey, TValue> record);
}

internal interface ISourceNode
{
    string Name { get; }

    string Topic { get; }

    /// <summary>Reads key and value; on success keeps the record for <see cref="ForwardDeserialized"/> and returns null.</summary>
    (string Part, Exception Error)? Deserialize(in ConsumedRecord record);

    /// <summary>Forwards the record the last successful <see cref="Deserialize"/> read.</summary>
    void ForwardDeserialized();

    /// <summary>Drops the record the last successful <see cref="Deserialize"/> read, without processing it.</summary>
    void DiscardDeserialized();
}

internal sealed class SourceNode<TKey, TValue>(string name, string topic, ISerde<TKey> keySerde, ISerde<TValue> valueSerde)
    : NodeInstance(name), ISourceNode
{
    // Deserializing and forwarding are two steps so the task can decide, before stream time moves, whether the record
    // is processed at all (an unreadable or future record is not).
    private Record<TKey, TValue> _deserialized;

    public string Topic { get; } = topic;

    public (string Part, Exception Error)? Deserialize(in ConsumedRecord record)
    {
        TKey key;
        TValue value;
        try
        {
            key = keySerde.Deserialize(record.Key, new SerdeContext(record.Topic, true, record.Headers));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return ("key", e);
        }

        try
        {
            value = valueSerde.Deserialize(record.Value, new SerdeContext(record.Topic, false, record.Headers));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return ("value", e);
        }

        _deserialized = new Record<TKey, TValue>(key, value, record.Timestamp, record.Headers);
        return null;
    }

    public void ForwardDeserialized()
    {
        var record = _deserialized;
        _deserialized = default;
        Context.Forward(record);
    }

    public void DiscardDeserialized() => _deserialized = default;
}

internal sealed class ProcessorNode<TKey, TValue>(string name, IProcessor<TKey, TValue> processor) : RecordNode<TKey, TValue>(name)
{
    public override void Init() => processor.Init(Context);

    public override void Process(Record<TKey, TValue> record) => processor.Process(record);

    public override void Flush() => processor.Flush();

    public override void Close() => processor.Close();
}

internal sealed class SinkNode<TKey, TValue>(string name, string topic, ISerde<TKey> keySerde, ISerde<TValue> valueSerde)
    : RecordNode<TKey, TValue>(name)
{
    public override void Process(Record<TKey, TValue> record)
    {
        var task = Context.Task;
        var headers = record.Headers is null ? new Headers(1) : record.Headers.Clone();
        // An id inherited from the input names the input, not this output: always replace it.
        headers.Remove(RecordHeaderNames.Id);
        headers.Add(RecordHeaderNames.Id, record.Id ?? task.NextOutputId());
        var key = keySerde.Serialize(record.Key, new SerdeContext(topic, true, headers));
        var value = valueSerde.Serialize(record.Value, new SerdeContext(topic, false, headers));
        task.Send(new ProducedRecord(topic, key, value, record.Timestamp, headers, task.Id));
    }
}
