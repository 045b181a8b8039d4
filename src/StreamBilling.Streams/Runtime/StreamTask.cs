using System.Buffers;
using System.Globalization;

namespace StreamBilling.Streams;

/// <summary>
/// Runs one sub-topology for one partition: owns the processor instances and stores, processes one record at a time,
/// tracks stream time and fires punctuators. Not thread-safe: one thread drives a task. The test driver and the Kafka
/// binding both drive tasks through this class.
/// </summary>
public sealed class StreamTask : IDisposable
{
    /// <summary>
    /// Reason (the start of <see cref="RecordHeaderNames.LateReason"/>, and the metric's <c>reason</c> tag) of a record
    /// dated more than <see cref="StreamTaskOptions.MaxEventTimeAhead"/> ahead of the wall clock.
    /// </summary>
    public const string FutureTimestampReason = "future-timestamp";

    private readonly Dictionary<string, ISourceNode> _sourcesByTopic = new(StringComparer.Ordinal);
    private readonly List<NodeInstance> _nodes = [];
    private readonly Dictionary<string, IRuntimeStore> _stores = new(StringComparer.Ordinal);
    private readonly List<Punctuator> _streamPunctuators = [];
    private readonly List<Punctuator> _wallClockPunctuators = [];
    private readonly IRecordCollector _collector;
    private readonly IDeserializationErrorHandler? _deserializationErrors;
    private readonly TimeSpan? _maxEventTimeAhead;
    private readonly ArrayBufferWriter<byte> _idBuffer = new(256);
    private readonly KeyValuePair<string, object?> _taskTag;
    private readonly KeyValuePair<string, object?> _applicationTag;
    private long _streamTime = long.MinValue;
    private bool _initialized;
    private bool _disposed;
    private bool _flushing;
    private RecordMetadata? _current;
    private string? _currentUpstreamId;
    private Punctuator? _currentPunctuator;
    private long _punctuationTime;
    private int _outputIndex;
    private int _punctuatorCount;

    /// <summary>Creates the task's nodes and stores; stores can be restored before the first record.</summary>
    public StreamTask(Topology topology, TaskId id, StreamTaskOptions options)
    {
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(options);
        if (id.SubTopology < 0 || id.SubTopology >= topology.SubTopologies.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(id), id, $"The topology has {topology.SubTopologies.Count} sub-topologies.");
        }

        Topology = topology;
        Id = id;
        TimeProvider = options.TimeProvider;
        _collector = options.Collector ?? throw new ArgumentException("A record collector is required.", nameof(options));
        _deserializationErrors = options.DeserializationErrorHandler;
        if (options.MaxEventTimeAhead is { } ahead && ahead < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), ahead, "MaxEventTimeAhead must not be negative.");
        }

        _maxEventTimeAhead = options.MaxEventTimeAhead;
        _taskTag = new KeyValuePair<string, object?>("task_id", id.ToString());
        _applicationTag = new KeyValuePair<string, object?>("application", topology.ApplicationId);

        var sub = topology.SubTopologies[id.SubTopology];
        foreach (var storeName in sub.StoreNames)
        {
            var builder = topology.StoreBuilders[storeName];
            var changelog = builder.LoggingEnabled ? topology.ChangelogTopicFor(storeName) : null;
            var context = new StoreInitContext(id, changelog, options.ChangelogWriter, options.StateDirectory, () => StreamTime);
            _stores.Add(storeName, builder.Build(context));
        }

        var instances = new Dictionary<string, NodeInstance>(StringComparer.Ordinal);
        foreach (var nodeName in sub.NodeNames)
        {
            var instance = topology.Nodes[nodeName].Create();
            instances.Add(nodeName, instance);
            _nodes.Add(instance);
        }

        foreach (var instance in _nodes)
        {
            var definition = topology.Nodes[instance.Name];
            instance.Children = [.. definition.Children.Select(child => instances[child])];
            instance.Context = new NodeContext(this, instance, [.. definition.StoreNames]);
            if (instance is ISourceNode source)
            {
                _sourcesByTopic.Add(source.Topic, source);
            }
        }
    }

    /// <summary>The task's identity.</summary>
    public TaskId Id { get; }

    /// <summary>The topology this task runs a part of.</summary>
    public Topology Topology { get; }

    /// <summary>Max event timestamp processed so far (<see cref="DateTimeOffset.MinValue"/> before the first record).</summary>
    public DateTimeOffset StreamTime => _streamTime == long.MinValue ? DateTimeOffset.MinValue : new DateTimeOffset(_streamTime, TimeSpan.Zero);

    /// <summary>Source topics this task consumes (its sub-topology's).</summary>
    public IReadOnlyCollection<string> SourceTopics => _sourcesByTopic.Keys;

    /// <summary>Names of the stores this task owns.</summary>
    public IReadOnlyCollection<string> StoreNames => _stores.Keys;

    internal TimeProvider TimeProvider { get; }

    internal RecordMetadata? CurrentMetadata => _current;

    /// <summary>
    /// Resumes stream time (e.g. from commit metadata) so lateness and punctuation continue where the last owner
    /// stopped. Only before the first record.
    /// </summary>
    public void ResumeStreamTime(DateTimeOffset streamTime)
    {
        EnsureNotStarted(nameof(ResumeStreamTime));
        _streamTime = streamTime.UtcTicks;
    }

    /// <summary>Applies a batch of changelog records to a store. Only before the first record (restore, then process).</summary>
    public void RestoreStore(string storeName, IReadOnlyList<ChangelogRecord> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        EnsureNotStarted(nameof(RestoreStore));
        var store = _stores.GetValueOrDefault(storeName) ?? throw new ArgumentException($"Task {Id} has no store '{storeName}'.", nameof(storeName));
        var started = TimeProvider.GetTimestamp();
        store.Restore(batch);
        StreamsMetrics.RestoreDuration.Record(TimeProvider.GetElapsedTime(started).TotalSeconds, _taskTag, new KeyValuePair<string, object?>("store", storeName));
    }

    /// <summary>
    /// Logs the current value (or a tombstone) of the entries behind <paramref name="changelogKeys"/> at the next
    /// <see cref="Flush"/>: the binding uses it to supersede changelog records of a commit that never completed.
    /// </summary>
    public void RelogStore(string storeName, IEnumerable<byte[]> changelogKeys)
    {
        ArgumentNullException.ThrowIfNull(changelogKeys);
        var store = _stores.GetValueOrDefault(storeName) as ILoggedStore
            ?? throw new ArgumentException($"Task {Id} has no logged store '{storeName}'.", nameof(storeName));
        foreach (var key in changelogKeys)
        {
            store.Relog(key);
        }
    }

    /// <summary>Initializes processors (after restore). Called automatically by the first <see cref="Process"/> or punctuation.</summary>
    public void Initialize()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_initialized)
        {
            return;
        }

        _initialized = true;
        // Children first, so a processor may forward from Init.
        for (var i = _nodes.Count - 1; i >= 0; i--)
        {
            _nodes[i].Init();
        }
    }

    /// <summary>
    /// Processes one input record: deserializes it, runs it through the sub-topology, then fires due stream-time
    /// punctuators. A record that cannot be deserialized goes to the <see cref="StreamTaskOptions.DeserializationErrorHandler"/>
    /// (or fails the task) and a record too far ahead of the wall clock goes to the late-records topic; neither is
    /// processed nor moves stream time.
    /// </summary>
    public void Process(in ConsumedRecord record)
    {
        if (!_initialized)
        {
            Initialize();
        }

        if (!_sourcesByTopic.TryGetValue(record.Topic, out var source))
        {
            throw new ArgumentException($"Task {Id} does not consume topic '{record.Topic}'.", nameof(record));
        }

        if (source.Deserialize(record) is { } failure)
        {
            HandleDeserializationFailure(record, failure.Part, failure.Error);
            return;
        }

        if (_maxEventTimeAhead is { } maxAhead && TimeProvider.GetUtcNow() is var now && record.Timestamp - now > maxAhead)
        {
            source.DiscardDeserialized();
            SendFutureToLate(record, source.Name, maxAhead, now);
            return;
        }

        var timestamp = record.Timestamp.UtcTicks;
        if (timestamp > _streamTime)
        {
            _streamTime = timestamp;
        }

        _current = new RecordMetadata(record.Topic, record.Partition, record.Offset, record.Timestamp, record.Headers);
        _currentUpstreamId = record.Headers?.GetLastString(RecordHeaderNames.Id);
        _outputIndex = 0;
        try
        {
            source.ForwardDeserialized();
        }
        finally
        {
            _current = null;
            _currentUpstreamId = null;
        }

        StreamsMetrics.RecordsProcessed.Add(1, _taskTag, _applicationTag);
        if (_streamPunctuators.Count > 0)
        {
            PunctuateStreamTime();
        }
    }

    /// <summary>Fires wall-clock punctuators that are due at the provider's current time; returns how many fired.</summary>
    public int PunctuateWallClock()
    {
        if (!_initialized)
        {
            Initialize();
        }

        var now = TimeProvider.GetUtcNow().UtcTicks;
        var fired = 0;
        for (var i = 0; i < _wallClockPunctuators.Count; i++)
        {
            var punctuator = _wallClockPunctuators[i];
            if (punctuator.Cancelled || now < punctuator.Next)
            {
                continue;
            }

            // Missed intervals are skipped: fire once, then stay on the original grid.
            var missed = (now - punctuator.Next) / punctuator.Interval;
            punctuator.Next += (missed + 1) * punctuator.Interval;
            Fire(punctuator, now);
            fired++;
        }

        _wallClockPunctuators.RemoveAll(p => p.Cancelled);
        return fired;
    }

    /// <summary>
    /// Lets processors emit what they coalesced (<see cref="IProcessor{TKey, TValue}.Flush"/>, upstream nodes first), then
    /// flushes stores: pending changelog records go to the changelog writer. Call before committing offsets.
    /// </summary>
    public void Flush()
    {
        if (_initialized)
        {
            _flushing = true;
            _outputIndex = 0;
            try
            {
                // Nodes are in creation order, so a node flushes after everything upstream of it has.
                foreach (var node in _nodes)
                {
                    node.Flush();
                }
            }
            finally
            {
                _flushing = false;
            }
        }

        foreach (var store in _stores.Values)
        {
            store.Flush();
        }
    }

    /// <summary>A store of this task, for inspection (the driver) or interactive queries.</summary>
    public TStore GetStateStore<TStore>(string name)
        where TStore : class, IStateStore
    {
        if (!_stores.TryGetValue(name, out var store))
        {
            throw new ArgumentException($"Task {Id} has no store '{name}'.", nameof(name));
        }

        return store as TStore ?? throw new InvalidCastException($"Store '{name}' is a {store.GetType().Name}, not {typeof(TStore).Name}.");
    }

    /// <summary>Closes processors, then stores. Does not flush: call <see cref="Flush"/> first for a clean close.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_initialized)
        {
            foreach (var node in _nodes)
            {
                node.Close();
            }
        }

        foreach (var store in _stores.Values)
        {
            store.Dispose();
        }
    }

    internal void Send(in ProducedRecord record) => _collector.Send(record);

    /// <summary>
    /// Next id for an output without an explicit id: hash of (application, input identity, output index) where the input
    /// identity is the upstream <c>sb-id</c> header when present, else topic/partition/offset; inside a punctuation it is
    /// (task, punctuator, punctuation time).
    /// </summary>
    internal string NextOutputId()
    {
        var buffer = _idBuffer;
        buffer.ResetWrittenCount();
        DeterministicId.Append(buffer, Topology.ApplicationId);
        if (_current is { } current)
        {
            if (_currentUpstreamId is not null)
            {
                DeterministicId.Append(buffer, _currentUpstreamId);
            }
            else
            {
                DeterministicId.Append(buffer, current.Topic);
                DeterministicId.Append(buffer, current.Partition);
                DeterministicId.Append(buffer, current.Offset);
            }
        }
        else if (_currentPunctuator is { } punctuator)
        {
            DeterministicId.Append(buffer, "punctuation");
            DeterministicId.Append(buffer, Id.ToString());
            DeterministicId.Append(buffer, punctuator.NodeName);
            DeterministicId.Append(buffer, punctuator.Index);
            DeterministicId.Append(buffer, _punctuationTime);
        }
        else if (_flushing)
        {
            throw new InvalidOperationException($"Task {Id}: a record forwarded from a processor's Flush needs a Record.Id; nothing else identifies it across a replay.");
        }
        else
        {
            DeterministicId.Append(buffer, "init");
            DeterministicId.Append(buffer, Id.ToString());
        }

        DeterministicId.Append(buffer, _outputIndex++);
        return DeterministicId.Hash(buffer.WrittenSpan);
    }

    internal void SendLate<TKey, TValue>(Record<TKey, TValue> record, string reason, string source, ISerde<TKey> keySerde, ISerde<TValue> valueSerde, DateTimeOffset? windowStart)
    {
        var topic = Topology.LateRecordsTopic;
        var headers = LateHeaders(record.Headers, reason, source, windowStart);
        // The rejected record is a payload inside the late record, not the topic's value: its serde must not claim the
        // late topic's subject (the serde decides what that means; the Avro one registers it under its record name).
        var key = keySerde.Serialize(record.Key, new SerdeContext(topic, true, headers, EmbeddedPayload: true));
        var value = valueSerde.Serialize(record.Value, new SerdeContext(topic, false, headers, EmbeddedPayload: true));
        SendLateRecord(key, value, record.Timestamp, headers, reason, source, windowStart);
        StreamsMetrics.LateRecords.Add(1, _taskTag, _applicationTag, new KeyValuePair<string, object?>("reason", StreamsMetrics.ReasonCode(reason)));
    }

    internal ICancellable Schedule(string nodeName, TimeSpan interval, PunctuationType type, Action<DateTimeOffset> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        if (interval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "Punctuation interval must be positive.");
        }

        var ticks = interval.Ticks;
        Punctuator punctuator;
        if (type == PunctuationType.StreamTime)
        {
            var next = _streamTime == long.MinValue ? long.MinValue : WindowMath.AlignDown(_streamTime, ticks) + ticks;
            punctuator = new Punctuator(nodeName, _punctuatorCount++, ticks, type, callback, next);
            _streamPunctuators.Add(punctuator);
        }
        else
        {
            punctuator = new Punctuator(nodeName, _punctuatorCount++, ticks, type, callback, TimeProvider.GetUtcNow().UtcTicks + ticks);
            _wallClockPunctuators.Add(punctuator);
        }

        return punctuator;
    }

    /// <summary>
    /// Wraps a rejected record's bytes in the topology's <see cref="RejectedRecord"/> format and sends it to the late-records
    /// topic, keyed by the rejected record's key (so it lands on the partition the key's other records do).
    /// </summary>
    private void SendLateRecord(byte[]? key, byte[]? value, DateTimeOffset timestamp, Headers headers, string reason, string source, DateTimeOffset? windowStart)
    {
        var topic = Topology.LateRecordsTopic;
        var late = new RejectedRecord
        {
            Id = headers.GetLastString(RecordHeaderNames.Id)!,
            ApplicationId = Topology.ApplicationId,
            Reason = reason,
            RejectedBy = source,
            SourceTopic = _current?.Topic,
            SourcePartition = _current?.Partition,
            SourceOffset = _current?.Offset,
            Timestamp = timestamp,
            StreamTime = _streamTime == long.MinValue ? null : StreamTime,
            WindowStart = windowStart,
            Key = key,
            Value = value,
        };
        var envelope = Topology.LateRecordSerde.Serialize(late, new SerdeContext(topic, false, headers));
        _collector.Send(new ProducedRecord(topic, key, envelope, timestamp, headers, Id));
    }

    private Headers LateHeaders(Headers? original, string reason, string source, DateTimeOffset? windowStart)
    {
        var headers = original is null ? new Headers(6) : original.Clone();
        headers.Remove(RecordHeaderNames.Id);
        headers.Add(RecordHeaderNames.Id, NextOutputId());
        headers.Add(RecordHeaderNames.LateReason, reason);
        headers.Add(RecordHeaderNames.LateSource, source);
        headers.Add(RecordHeaderNames.LateStreamTime, StreamTime.ToString("O", CultureInfo.InvariantCulture));
        if (windowStart is { } start)
        {
            headers.Add(RecordHeaderNames.LateWindowStart, start.ToString("O", CultureInfo.InvariantCulture));
        }

        if (_current is { } current)
        {
            headers.Add(RecordHeaderNames.LateOrigin, $"{current.Topic}/{current.Partition}/{current.Offset}");
        }

        return headers;
    }

    /// <summary>
    /// A record dated further ahead of the wall clock than the task allows would move stream time (closing windows,
    /// periods and invoices, and firing punctuators up to its date) on the word of one record: it goes, as read, to the
    /// late-records topic instead.
    /// </summary>
    private void SendFutureToLate(in ConsumedRecord record, string sourceNode, TimeSpan maxAhead, DateTimeOffset now)
    {
        _current = new RecordMetadata(record.Topic, record.Partition, record.Offset, record.Timestamp, record.Headers);
        _currentUpstreamId = record.Headers?.GetLastString(RecordHeaderNames.Id);
        _outputIndex = 0;
        try
        {
            var reason = string.Create(
                CultureInfo.InvariantCulture,
                $"{FutureTimestampReason}: {record.Timestamp:O} is more than {maxAhead} ahead of wall clock {now:O}");
            var headers = LateHeaders(record.Headers, reason, sourceNode, windowStart: null);
            // Never deserialized: the bytes as read, which replay to their topic as they are.
            SendLateRecord(record.Key, record.Value, record.Timestamp, headers, reason, sourceNode, windowStart: null);
            StreamsMetrics.LateRecords.Add(1, _taskTag, _applicationTag, new KeyValuePair<string, object?>("reason", FutureTimestampReason));
        }
        finally
        {
            _current = null;
            _currentUpstreamId = null;
        }
    }

    private void HandleDeserializationFailure(in ConsumedRecord record, string part, Exception error)
    {
        var failure = new DeserializationFailure(Topology.ApplicationId, Id, record, error)
        {
            Reason = $"cannot deserialize the {part}: {error.Message}",
        };
        StreamsMetrics.DeserializationErrors.Add(
            1,
            _taskTag,
            _applicationTag,
            new KeyValuePair<string, object?>("topic", record.Topic),
            new KeyValuePair<string, object?>("policy", _deserializationErrors is null ? "fail" : "dead_letter"));
        if (_deserializationErrors is null)
        {
            throw new RecordDeserializationException(failure);
        }

        _deserializationErrors.Handle(failure);
    }

    private void PunctuateStreamTime()
    {
        var now = _streamTime;
        var anyCancelled = false;
        // Index loop: callbacks may schedule more punctuators.
        for (var i = 0; i < _streamPunctuators.Count; i++)
        {
            var punctuator = _streamPunctuators[i];
            if (punctuator.Cancelled)
            {
                anyCancelled = true;
                continue;
            }

            if (punctuator.Next == long.MinValue)
            {
                // Scheduled before stream time was known: the first boundary after the first record.
                punctuator.Next = WindowMath.AlignDown(now, punctuator.Interval) + punctuator.Interval;
                continue;
            }

            if (now >= punctuator.Next)
            {
                // Once per advance, however many boundaries were crossed.
                punctuator.Next = WindowMath.AlignDown(now, punctuator.Interval) + punctuator.Interval;
                Fire(punctuator, now);
                anyCancelled |= punctuator.Cancelled;
            }
        }

        if (anyCancelled)
        {
            _streamPunctuators.RemoveAll(p => p.Cancelled);
        }
    }

    private void Fire(Punctuator punctuator, long time)
    {
        _currentPunctuator = punctuator;
        _punctuationTime = time;
        _outputIndex = 0;
        try
        {
            punctuator.Callback(new DateTimeOffset(time, TimeSpan.Zero));
        }
        finally
        {
            _currentPunctuator = null;
        }

        StreamsMetrics.Punctuations.Add(1, _taskTag, new KeyValuePair<string, object?>("type", punctuator.Type == PunctuationType.StreamTime ? "stream_time" : "wall_clock"));
    }

    private void EnsureNotStarted(string operation)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_initialized)
        {
            throw new InvalidOperationException($"{operation} must happen before task {Id} processes its first record.");
        }
    }
}
