namespace StreamBilling.Streams.Testing;

/// <summary>Pipes typed records into a source topic of the driver; each one is processed before the call returns.</summary>
/// <typeparam name="TKey">Key type.</typeparam>
/// <typeparam name="TValue">Value type.</typeparam>
public sealed class TestInputTopic<TKey, TValue>
{
    private readonly TopologyTestDriver _driver;
    private readonly ISerde<TKey> _keySerde;
    private readonly ISerde<TValue> _valueSerde;

    internal TestInputTopic(TopologyTestDriver driver, string topic, ISerde<TKey> keySerde, ISerde<TValue> valueSerde)
    {
        _driver = driver;
        Topic = topic;
        _keySerde = keySerde;
        _valueSerde = valueSerde;
    }

    /// <summary>Topic name.</summary>
    public string Topic { get; }

    /// <summary>Pipes one record into partition 0.</summary>
    public void PipeInput(TKey key, TValue value, DateTimeOffset timestamp, Headers? headers = null) =>
        PipeInput(new TestRecord<TKey, TValue>(key, value, timestamp, headers));

    /// <summary>Pipes one record into <see cref="TestRecord{TKey, TValue}.Partition"/>.</summary>
    public void PipeInput(TestRecord<TKey, TValue> record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var key = _keySerde.Serialize(record.Key, new SerdeContext(Topic, true, record.Headers));
        var value = _valueSerde.Serialize(record.Value, new SerdeContext(Topic, false, record.Headers));
        _driver.Pipe(Topic, record.Partition, key, value, record.Timestamp, record.Headers);
    }

    /// <summary>
    /// Pipes records as one batch: processed in order and flushed once at the end, as when one poll's records fall into
    /// one commit (<see cref="PipeInput(TestRecord{TKey, TValue})"/> flushes after every record).
    /// </summary>
    public void PipeBatch(IEnumerable<TestRecord<TKey, TValue>> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var batch = records.Select(record => (
            Key: _keySerde.Serialize(record.Key, new SerdeContext(Topic, true, record.Headers)),
            Value: _valueSerde.Serialize(record.Value, new SerdeContext(Topic, false, record.Headers)),
            Record: record)).ToList();
        _driver.PipeBatch(Topic, batch.Select(b => (b.Record.Partition, b.Key, b.Value, b.Record.Timestamp, b.Record.Headers)));
    }

    /// <summary>Pipes records in order.</summary>
    public void PipeInputs(IEnumerable<TestRecord<TKey, TValue>> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        foreach (var record in records)
        {
            PipeInput(record);
        }
    }
}
