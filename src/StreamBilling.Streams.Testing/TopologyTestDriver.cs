using Microsoft.Extensions.Time.Testing;

namespace StreamBilling.Streams.Testing;

/// <summary>
/// Runs a <see cref="Topology"/> in memory with the runtime's semantics: one <see cref="StreamTask"/> per sub-topology
/// and partition (partition 0 unless a record says otherwise), records processed synchronously through serdes,
/// repartition topics fed back in, stores flushed to an in-memory changelog after every input, wall clock on a
/// <see cref="FakeTimeProvider"/>.
/// </summary>
public sealed class TopologyTestDriver : IDisposable
{
    private readonly Topology _topology;
    private readonly Dictionary<TaskId, StreamTask> _tasks = [];
    private readonly Dictionary<string, Queue<ProducedRecord>> _outputs = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Topic, int Partition), long> _offsets = [];
    private readonly Queue<ProducedRecord> _internal = new();
    private readonly HashSet<string> _repartitionTopics;
    private readonly Collector _collector;
    private readonly ChangelogCapture _changelog = new();
    private readonly DeadLetterCapture? _deadLetters;
    private readonly TimeSpan? _maxEventTimeAhead;
    private readonly string _stateDirectory;
    private readonly bool _ownsStateDirectory;
    private bool _disposed;

    /// <summary>Creates the driver and the partition-0 task of every sub-topology.</summary>
    public TopologyTestDriver(Topology topology, TopologyTestDriverOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(topology);
        options ??= new TopologyTestDriverOptions();
        _topology = topology;
        TimeProvider = options.TimeProvider ?? new FakeTimeProvider(options.InitialWallClockTime);
        _ownsStateDirectory = options.StateDirectory is null;
        _stateDirectory = options.StateDirectory ?? Path.Combine(Path.GetTempPath(), "streambilling-driver-" + Guid.NewGuid().ToString("N"));
        _repartitionTopics = new HashSet<string>(topology.RepartitionTopics, StringComparer.Ordinal);
        _collector = new Collector(this);
        _deadLetters = options.DeserializationErrors == DeserializationErrorPolicy.DeadLetter ? new DeadLetterCapture() : null;
        _maxEventTimeAhead = options.MaxEventTimeAhead;
        foreach (var sub in topology.SubTopologies)
        {
            Task(new TaskId(sub.Id, 0));
        }
    }

    /// <summary>The wall clock tasks punctuate on.</summary>
    public FakeTimeProvider TimeProvider { get; }

    /// <summary>The topology's late-records topic, for <see cref="CreateOutputTopic{TKey, TValue}"/>.</summary>
    public string LateRecordsTopic => _topology.LateRecordsTopic;

    /// <summary>Input records the tasks could not deserialize, in the order they were piped (policy <see cref="DeserializationErrorPolicy.DeadLetter"/>).</summary>
    public IReadOnlyList<DeserializationFailure> DeadLetters => _deadLetters?.Failures ?? [];

    /// <summary>An input topic; serdes default to <see cref="Serdes.Default{T}"/>.</summary>
    public TestInputTopic<TKey, TValue> CreateInputTopic<TKey, TValue>(string topic, ISerde<TKey>? keySerde = null, ISerde<TValue>? valueSerde = null)
    {
        if (_topology.SubTopologyOf(topic) < 0)
        {
            throw new ArgumentException($"Topic '{topic}' is not a source of the topology.", nameof(topic));
        }

        return new TestInputTopic<TKey, TValue>(this, topic, keySerde ?? Serdes.Default<TKey>(), valueSerde ?? Serdes.Default<TValue>());
    }

    /// <summary>An output topic reader; records produced before the call are readable too.</summary>
    public TestOutputTopic<TKey, TValue> CreateOutputTopic<TKey, TValue>(string topic, ISerde<TKey>? keySerde = null, ISerde<TValue>? valueSerde = null)
    {
        if (!_topology.SinkTopics.Contains(topic, StringComparer.Ordinal))
        {
            throw new ArgumentException($"Topic '{topic}' is not a sink of the topology.", nameof(topic));
        }

        return new TestOutputTopic<TKey, TValue>(topic, Output(topic), keySerde ?? Serdes.Default<TKey>(), valueSerde ?? Serdes.Default<TValue>());
    }

    /// <summary>
    /// The late-records topic, read as the topology writes it: keys are the rejected records' key bytes, values
    /// <see cref="RejectedRecord"/>s in the topology's <see cref="Topology.LateRecordSerde"/> (read a rejected value with
    /// <see cref="RejectedRecord.ValueAs{TValue}"/>).
    /// </summary>
    public TestOutputTopic<byte[], RejectedRecord> CreateLateRecordsTopic() => CreateOutputTopic(_topology.LateRecordsTopic, Serdes.Bytes, _topology.LateRecordSerde);

    /// <summary>Advances the wall clock and fires due wall-clock punctuators of every task.</summary>
    public void AdvanceWallClockTime(TimeSpan advance)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        // Tasks start lazily (so stores can be restored first); start them before the clock moves so schedules begin at the old time.
        foreach (var task in _tasks.Values)
        {
            task.Initialize();
        }

        TimeProvider.Advance(advance);
        foreach (var task in _tasks.Values.ToList())
        {
            task.PunctuateWallClock();
        }

        DrainAndFlush();
    }

    /// <summary>A key-value store of the task owning it for <paramref name="partition"/>.</summary>
    public IKeyValueStore<TKey, TValue> GetKeyValueStore<TKey, TValue>(string name, int partition = 0) =>
        TaskOwning(name, partition).GetStateStore<IKeyValueStore<TKey, TValue>>(name);

    /// <summary>A window store of the task owning it for <paramref name="partition"/>.</summary>
    public IWindowStore<TKey, TValue> GetWindowStore<TKey, TValue>(string name, int partition = 0) =>
        TaskOwning(name, partition).GetStateStore<IWindowStore<TKey, TValue>>(name);

    /// <summary>Changelog records written so far for <paramref name="storeName"/> (flushed after every input).</summary>
    public IReadOnlyList<ChangelogRecord> GetChangelog(string storeName, int partition = 0)
    {
        var topic = _topology.ChangelogTopicFor(storeName) ?? throw new ArgumentException($"Store '{storeName}' is not logged.", nameof(storeName));
        return _changelog.Read(topic, partition);
    }

    /// <summary>Restores a store from changelog records, as a new owner would; only before the task's first record.</summary>
    public void RestoreStore(string storeName, IEnumerable<ChangelogRecord> records, int partition = 0)
    {
        ArgumentNullException.ThrowIfNull(records);
        TaskOwning(storeName, partition).RestoreStore(storeName, [.. records]);
    }

    /// <summary>Stream time of a task (<see cref="DateTimeOffset.MinValue"/> before its first record).</summary>
    public DateTimeOffset StreamTime(int subTopology = 0, int partition = 0) => Task(new TaskId(subTopology, partition)).StreamTime;

    /// <summary>Flushes and closes every task and deletes the temporary state directory.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var task in _tasks.Values)
        {
            task.Flush();
            task.Dispose();
        }

        if (_ownsStateDirectory && Directory.Exists(_stateDirectory))
        {
            Directory.Delete(_stateDirectory, recursive: true);
        }
    }

    internal void Pipe(string topic, int partition, byte[]? key, byte[]? value, DateTimeOffset timestamp, Headers? headers)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Deliver(topic, partition, key, value, timestamp, headers);
        DrainAndFlush();
    }

    internal void PipeBatch(string topic, IEnumerable<(int Partition, byte[]? Key, byte[]? Value, DateTimeOffset Timestamp, Headers? Headers)> records)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        foreach (var (partition, key, value, timestamp, headers) in records)
        {
            Deliver(topic, partition, key, value, timestamp, headers);
            DrainInternal();
        }

        DrainAndFlush();
    }

    private void Deliver(string topic, int partition, byte[]? key, byte[]? value, DateTimeOffset timestamp, Headers? headers)
    {
        var sub = _topology.SubTopologyOf(topic);
        if (sub < 0)
        {
            throw new ArgumentException($"Topic '{topic}' is not a source of the topology.", nameof(topic));
        }

        _offsets.TryGetValue((topic, partition), out var offset);
        _offsets[(topic, partition)] = offset + 1;
        Task(new TaskId(sub, partition)).Process(new ConsumedRecord(topic, partition, offset, timestamp, key, value, headers));
    }

    private void DrainAndFlush()
    {
        DrainInternal();
        foreach (var task in _tasks.Values)
        {
            task.Flush();
        }
    }

    private void DrainInternal()
    {
        // Repartition records are consumed after the record that produced them, in production order, like a broker would deliver them.
        while (_internal.TryDequeue(out var record))
        {
            Deliver(record.Topic, 0, record.Key, record.Value, record.Timestamp, record.Headers);
        }
    }

    private StreamTask Task(TaskId id)
    {
        if (!_tasks.TryGetValue(id, out var task))
        {
            task = new StreamTask(_topology, id, new StreamTaskOptions
            {
                Collector = _collector,
                TimeProvider = TimeProvider,
                ChangelogWriter = _changelog,
                StateDirectory = _stateDirectory,
                DeserializationErrorHandler = _deadLetters,
                MaxEventTimeAhead = _maxEventTimeAhead,
            });
            _tasks.Add(id, task);
        }

        return task;
    }

    private StreamTask TaskOwning(string storeName, int partition)
    {
        foreach (var sub in _topology.SubTopologies)
        {
            if (sub.StoreNames.Contains(storeName, StringComparer.Ordinal))
            {
                return Task(new TaskId(sub.Id, partition));
            }
        }

        throw new ArgumentException($"The topology has no store '{storeName}'.", nameof(storeName));
    }

    private Queue<ProducedRecord> Output(string topic)
    {
        if (!_outputs.TryGetValue(topic, out var queue))
        {
            _outputs[topic] = queue = new Queue<ProducedRecord>();
        }

        return queue;
    }

    private sealed class Collector(TopologyTestDriver driver) : IRecordCollector
    {
        public void Send(in ProducedRecord record)
        {
            driver.Output(record.Topic).Enqueue(record);
            if (driver._repartitionTopics.Contains(record.Topic))
            {
                driver._internal.Enqueue(record);
            }
        }
    }

    private sealed class DeadLetterCapture : IDeserializationErrorHandler
    {
        public List<DeserializationFailure> Failures { get; } = [];

        public void Handle(DeserializationFailure failure) => Failures.Add(failure);
    }

    private sealed class ChangelogCapture : IChangelogWriter
    {
        private readonly Dictionary<(string Topic, int Partition), List<ChangelogRecord>> _records = [];

        public void Write(in ChangelogRecord record)
        {
            if (!_records.TryGetValue((record.Topic, record.Partition), out var list))
            {
                _records[(record.Topic, record.Partition)] = list = [];
            }

            list.Add(record);
        }

        public IReadOnlyList<ChangelogRecord> Read(string topic, int partition) =>
            _records.TryGetValue((topic, partition), out var list) ? [.. list] : [];
    }
}
