namespace StreamBilling.Streams.Testing;

/// <summary>Reads (and consumes) the records the topology produced to a topic, deserialized with the given serdes.</summary>
/// <typeparam name="TKey">Key type.</typeparam>
/// <typeparam name="TValue">Value type.</typeparam>
public sealed class TestOutputTopic<TKey, TValue>
{
    private readonly Queue<ProducedRecord> _queue;
    private readonly ISerde<TKey> _keySerde;
    private readonly ISerde<TValue> _valueSerde;

    internal TestOutputTopic(string topic, Queue<ProducedRecord> queue, ISerde<TKey> keySerde, ISerde<TValue> valueSerde)
    {
        Topic = topic;
        _queue = queue;
        _keySerde = keySerde;
        _valueSerde = valueSerde;
    }

    /// <summary>Topic name.</summary>
    public string Topic { get; }

    /// <summary>True when nothing is left to read.</summary>
    public bool IsEmpty => _queue.Count == 0;

    /// <summary>Number of unread records.</summary>
    public int QueueSize => _queue.Count;

    /// <summary>Reads the next record.</summary>
    public TestRecord<TKey, TValue> ReadRecord()
    {
        if (!_queue.TryDequeue(out var produced))
        {
            throw new InvalidOperationException($"No record left in output topic '{Topic}'.");
        }

        return new TestRecord<TKey, TValue>(
            _keySerde.Deserialize(produced.Key, new SerdeContext(Topic, true, produced.Headers)),
            _valueSerde.Deserialize(produced.Value, new SerdeContext(Topic, false, produced.Headers)),
            produced.Timestamp,
            produced.Headers);
    }

    /// <summary>Reads the next key and value.</summary>
    public KeyValuePair<TKey, TValue> ReadKeyValue()
    {
        var record = ReadRecord();
        return new KeyValuePair<TKey, TValue>(record.Key, record.Value);
    }

    /// <summary>Reads the next value.</summary>
    public TValue ReadValue() => ReadRecord().Value;

    /// <summary>Reads every remaining record.</summary>
    public IReadOnlyList<TestRecord<TKey, TValue>> ReadRecordsToList()
    {
        var records = new List<TestRecord<TKey, TValue>>(_queue.Count);
        while (!IsEmpty)
        {
            records.Add(ReadRecord());
        }

        return records;
    }

    /// <summary>Reads every remaining key and value.</summary>
    public IReadOnlyList<KeyValuePair<TKey, TValue>> ReadKeyValuesToList() =>
        [.. ReadRecordsToList().Select(r => new KeyValuePair<TKey, TValue>(r.Key, r.Value))];
}
