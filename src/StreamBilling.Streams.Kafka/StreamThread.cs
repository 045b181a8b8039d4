using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using StreamBilling.Kafka;

namespace StreamBilling.Streams.Kafka;

/// <summary>
/// The poll loop of one stream application instance: a group consumer over every source topic, one
/// <see cref="StreamTask"/> per assigned (sub-topology, partition), one producer for output and changelogs. Everything
/// here runs on the thread's own OS thread, including librdkafka's rebalance callbacks (they fire inside Consume).
/// </summary>
internal sealed partial class StreamThread : IDisposable
{
    private readonly Topology _topology;
    private readonly KafkaClientFactory _clients;
    private readonly KafkaStreamsOptions _options;
    private readonly bool _transactional;
    private readonly PartitionAssignmentStrategy _strategy;
    private readonly string _stateDirectory;
    private readonly ILogger _logger;
    private readonly Dictionary<TaskId, ActiveTask> _tasks = [];
    private readonly Dictionary<TopicPartition, ActiveTask> _taskByPartition = [];
    private readonly Dictionary<string, bool> _persistentStores;
    private IConsumer<byte[], byte[]>? _consumer;
    private OutputProducer? _output;
    private ChangelogRestorer? _restorer;
    private Exception? _callbackFailure;
    private volatile bool _crashing;
    private volatile CrashPoint _crashAt;
    private volatile TaskId[] _activeTaskIds = [];
    private volatile bool _assigned;
    private volatile bool _restoring;
    private long _processed;
    private long _commits;
    private long _restored;
    private long _lag = -1;
    private DateTimeOffset _lastCommit;

    public StreamThread(Topology topology, KafkaClientFactory clients, KafkaStreamsOptions options, bool transactional, PartitionAssignmentStrategy strategy, string stateDirectory, ILogger logger)
    {
        _topology = topology;
        _clients = clients;
        _options = options;
        _transactional = transactional;
        _strategy = strategy;
        _stateDirectory = stateDirectory;
        _logger = logger;
        _persistentStores = topology.Stores.ToDictionary(s => s.Name, s => s.Persistent, StringComparer.Ordinal);
    }

    public IReadOnlyCollection<TaskId> ActiveTaskIds => _activeTaskIds;

    public long Processed => Interlocked.Read(ref _processed);

    public long Commits => Interlocked.Read(ref _commits);

    public long Restored => Interlocked.Read(ref _restored);

    /// <summary>True once the group gave this thread its first assignment (possibly empty) and its stores were restored.</summary>
    public bool Assigned => _assigned;

    /// <summary>Records behind the high watermarks of the assigned partitions at the last commit; -1 before the first.</summary>
    public long Lag => Interlocked.Read(ref _lag);

    /// <summary>True while an assignment's stores are being restored from their changelogs.</summary>
    public bool Restoring => _restoring;

    /// <summary>Makes the next stop skip every commit, as if the process died (tests of recovery use it).</summary>
    public void MarkCrashing() => _crashing = true;

    /// <summary>Makes the next commit die at <paramref name="point"/> (tests of recovery use it).</summary>
    public void CrashDuringCommit(CrashPoint point) => _crashAt = point;

    /// <summary>Runs until <paramref name="stop"/> fires, then commits and leaves the group (unless crashing).</summary>
    public void Run(CancellationToken stop)
    {
        var appId = _topology.ApplicationId;
        _output = new OutputProducer(_clients.CreateProducer(Serializers.ByteArray, Serializers.ByteArray, config =>
        {
            config.ClientId = $"{appId}-{_options.InstanceId}-producer";
            // Delivery reports only need the error: copying key, value and headers back for every record costs CPU.
            config.DeliveryReportFields = "status";
            if (_transactional)
            {
                // One transactional id per instance: a restarted instance with the same id fences its zombie, and
                // offsets sent with the group metadata fence members that lost their partitions (KIP-447).
                config.TransactionalId = $"{appId}-{_options.InstanceId}";
            }
        }));
        _restorer = new ChangelogRestorer(
            _clients.CreateRawConsumer($"{appId}-restore", new KafkaConsumerOptions
            {
                Configure = config =>
                {
                    config.ClientId = $"{appId}-{_options.InstanceId}-restore";
                    config.EnablePartitionEof = true;
                    config.IsolationLevel = _transactional ? IsolationLevel.ReadCommitted : IsolationLevel.ReadUncommitted;
                },
            }),
            _options.BrokerTimeout);
        _consumer = _clients.CreateRawConsumer(appId, new KafkaConsumerOptions
        {
            ResolveStarts = OnAssigned,
            PartitionsRevoked = OnRevoked,
            PartitionsLost = OnLost,
            Configure = config =>
            {
                config.ClientId = $"{appId}-{_options.InstanceId}-consumer";
                config.PartitionAssignmentStrategy = _strategy;
                config.IsolationLevel = _transactional ? IsolationLevel.ReadCommitted : IsolationLevel.ReadUncommitted;
            },
        });

        try
        {
            if (_transactional)
            {
                _output.Producer.InitTransactions(_options.BrokerTimeout);
                _output.Producer.BeginTransaction();
            }

            _consumer.Subscribe(_topology.SourceTopics);
            _lastCommit = _options.TimeProvider.GetUtcNow();
            while (!stop.IsCancellationRequested)
            {
                PollOnce();
            }

            if (!_crashing)
            {
                Commit();
            }
        }
        finally
        {
            Shutdown();
        }
    }

    private void PollOnce()
    {
        var result = Consume(_options.PollTimeout);
        var count = 0;
        while (result is not null)
        {
            Process(result);
            if (++count >= _options.MaxBatchSize)
            {
                break;
            }

            result = Consume(TimeSpan.Zero);
        }

        if (count > 0)
        {
            Interlocked.Add(ref _processed, count);
        }

        foreach (var task in _tasks.Values)
        {
            if (task.Task.PunctuateWallClock() > 0)
            {
                task.Dirty = true;
            }
        }

        _output!.ThrowIfFailed();
        if (_options.TimeProvider.GetUtcNow() - _lastCommit >= _options.CommitInterval)
        {
            Commit();
        }
    }

    private ConsumeResult<byte[], byte[]>? Consume(TimeSpan timeout)
    {
        var result = _consumer!.ConsumeChecked(timeout);
        if (_callbackFailure is { } failure)
        {
            // Rebalance callbacks must not throw (the consumer would be left mid-rebalance); they park the error here.
            _callbackFailure = null;
            throw new KafkaStreamsException($"Stream application '{_topology.ApplicationId}' failed during a rebalance: {failure.Message}", failure);
        }

        return result;
    }

    private void Process(ConsumeResult<byte[], byte[]> result)
    {
        var topicPartition = result.TopicPartition;
        if (!_taskByPartition.TryGetValue(topicPartition, out var task))
        {
            throw new KafkaStreamsException($"Received {topicPartition} without an assigned task.");
        }

        var timestamp = DateTimeOffset.FromUnixTimeMilliseconds(result.Message.Timestamp.UnixTimestampMs);
        task.Task.Process(new ConsumedRecord(
            topicPartition.Topic,
            topicPartition.Partition.Value,
            result.Offset.Value,
            timestamp,
            result.Message.Key,
            result.Message.Value,
            ToHeaders(result.Message.Headers)));
        task.NextOffsets[topicPartition] = result.Offset.Value + 1;
        task.Dirty = true;
        StreamsBindingMetrics.EndToEndLatency.Record((_options.TimeProvider.GetUtcNow() - timestamp).TotalSeconds);
    }

    /// <summary>
    /// Makes the work since the last commit durable: (1) stores flush their changes to the changelogs and all output
    /// is acknowledged, (2) every changed task appends a commit marker (its input position and stream time) to each of
    /// its changelog partitions, (3) offsets are committed. With transactions the three go into one transaction.
    /// </summary>
    private void Commit()
    {
        var started = Stopwatch.GetTimestamp();
        var offsets = new List<TopicPartitionOffset>();
        foreach (var task in _tasks.Values)
        {
            task.Task.Flush();
            foreach (var (partition, next) in task.NextOffsets)
            {
                if (!task.CommittedOffsets.TryGetValue(partition, out var committed) || committed != next)
                {
                    offsets.Add(new TopicPartitionOffset(partition, new Offset(next)));
                }
            }
        }

        var output = _output!;
        if (!_transactional)
        {
            output.FlushAndCheck(_options.BrokerTimeout);
            CrashIfAt(CrashPoint.AfterChangelogs);
        }

        var marked = false;
        foreach (var task in _tasks.Values)
        {
            if (!task.Dirty || task.LoggedStores.Count == 0)
            {
                continue;
            }

            var positions = task.Partitions
                .Select(p => task.NextOffsets.TryGetValue(p, out var next) ? new TopicPartitionOffset(p, new Offset(next)) : null)
                .OfType<TopicPartitionOffset>()
                .ToList();
            var marker = new CommitMarker(task.NextSequence++, task.Task.StreamTime, positions);
            foreach (var (_, changelog) in task.LoggedStores)
            {
                output.WriteMarker(changelog, task.Task.Id.Partition, marker);
            }

            marked = true;
        }

        if (_transactional)
        {
            if (offsets.Count > 0)
            {
                output.Producer.SendOffsetsToTransaction(offsets, _consumer!.ConsumerGroupMetadata, _options.BrokerTimeout);
            }

            output.Producer.CommitTransaction(_options.BrokerTimeout);
            output.ThrowIfFailed();
            output.Producer.BeginTransaction();
        }
        else
        {
            if (marked)
            {
                output.FlushAndCheck(_options.BrokerTimeout);
            }

            CrashIfAt(CrashPoint.AfterMarkers);
            if (offsets.Count > 0)
            {
                try
                {
                    _consumer!.Commit(offsets);
                }
                catch (KafkaException e) when (GroupCommitErrors.IsGroupMovedOn(e.Error))
                {
                    // The group moved on (an instance joined or left): the commit markers carry stateful tasks' positions,
                    // so their next owner resumes there; stateless input is read again (deterministic output ids). The
                    // next commit here, for partitions that stay, repeats these offsets.
                    LogCommitRefused(_logger, _topology.ApplicationId, e.Error.Code);
                    offsets.Clear();
                }
            }
        }

        foreach (var offset in offsets)
        {
            if (_taskByPartition.TryGetValue(offset.TopicPartition, out var task))
            {
                task.CommittedOffsets[offset.TopicPartition] = offset.Offset.Value;
            }
        }

        foreach (var task in _tasks.Values)
        {
            task.Dirty = false;
        }

        _lastCommit = _options.TimeProvider.GetUtcNow();
        Interlocked.Exchange(ref _lag, MeasureLag());
        Interlocked.Increment(ref _commits);
        StreamsBindingMetrics.CommitDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    /// <summary>
    /// Records between each assigned partition's position and its high watermark, from the consumer's cached fetch
    /// metadata (no broker call): the application's consumer lag, which the lag gauge reports.
    /// </summary>
    private long MeasureLag()
    {
        long lag = 0;
        foreach (var (partition, task) in _taskByPartition)
        {
            var high = _consumer!.GetWatermarkOffsets(partition).High;
            if (high.IsSpecial)
            {
                continue;
            }

            var position = task.NextOffsets.TryGetValue(partition, out var next) ? next : _consumer.Position(partition).Value;
            if (position >= 0)
            {
                lag += Math.Max(0, high.Value - position);
            }
        }

        return lag;
    }

    /// <summary>Test hook: dies at <paramref name="point"/> of the next commit, as a killed process would.</summary>
    private void CrashIfAt(CrashPoint point)
    {
        if (_crashAt == point)
        {
            _crashing = true;
            throw new KafkaStreamsException($"Simulated crash at {point}.");
        }
    }

    private IReadOnlyList<TopicPartitionOffset> OnAssigned(IReadOnlyList<TopicPartitionOffset> starts)
    {
        if (_crashing || _callbackFailure is not null)
        {
            return starts;
        }

        // Restoration runs inside this callback: readiness checks see it from the flag.
        _restoring = true;
        try
        {
            StreamsBindingMetrics.Rebalances.Add(1, new KeyValuePair<string, object?>("event", "assigned"));
            var adjusted = new List<TopicPartitionOffset>(starts.Count);
            foreach (var start in starts)
            {
                var subTopology = _topology.SubTopologyOf(start.Topic);
                if (subTopology < 0)
                {
                    throw new KafkaStreamsException($"Assigned {start.TopicPartition}, which no sub-topology reads.");
                }

                var id = new TaskId(subTopology, start.Partition.Value);
                if (!_tasks.TryGetValue(id, out var task))
                {
                    task = CreateTask(id);
                    _tasks.Add(id, task);
                }

                _taskByPartition[start.TopicPartition] = task;
                task.Partitions.Add(start.TopicPartition);

                // The position recorded with the restored state wins over the group's offset: they differ only when a
                // crash came between writing the changelog and committing offsets.
                var offset = task.ResumePositions.TryGetValue(start.TopicPartition, out var resume) ? new Offset(resume) : start.Offset;
                if (!offset.IsSpecial)
                {
                    task.NextOffsets[start.TopicPartition] = offset.Value;
                }

                // What the group holds, not the resume position: when they differ, the next commit brings the group up
                // to date even if nothing more arrives (otherwise its lag would never reach 0).
                if (!start.Offset.IsSpecial)
                {
                    task.CommittedOffsets[start.TopicPartition] = start.Offset.Value;
                }

                adjusted.Add(new TopicPartitionOffset(start.TopicPartition, offset));
            }

            PublishTaskIds();
            LogAssigned(_logger, _topology.ApplicationId, starts.Count, _tasks.Count);
            _assigned = true;
            return adjusted;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _callbackFailure = e;
            return starts;
        }
        finally
        {
            _restoring = false;
        }
    }

    private void OnRevoked(IReadOnlyList<TopicPartitionOffset> revoked)
    {
        if (_crashing || _callbackFailure is not null)
        {
            return;
        }

        try
        {
            StreamsBindingMetrics.Rebalances.Add(1, new KeyValuePair<string, object?>("event", "revoked"));
            var tasks = revoked
                .Select(r => _taskByPartition.GetValueOrDefault(r.TopicPartition))
                .OfType<ActiveTask>()
                .Distinct()
                .ToList();

            // Everything is committed, not only the revoked tasks: one transaction/offset commit covers the thread.
            Commit();
            foreach (var task in tasks)
            {
                var kept = task.Partitions.Except(revoked.Select(r => r.TopicPartition)).ToList();
                if (kept.Count > 0)
                {
                    throw new KafkaStreamsException(
                        $"Task {task.Task.Id} lost only part of its co-partitioned input ({string.Join(", ", kept)} stay). " +
                        "Use PartitionAssignment.Range for topologies that read several topics in one sub-topology.");
                }

                CloseTask(task, clean: true);
            }

            PublishTaskIds();
            LogRevoked(_logger, _topology.ApplicationId, revoked.Count, _tasks.Count);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _callbackFailure = e;
        }
    }

    private void OnLost(IReadOnlyList<TopicPartitionOffset> lost)
    {
        try
        {
            StreamsBindingMetrics.Rebalances.Add(1, new KeyValuePair<string, object?>("event", "lost"));
            var tasks = lost
                .Select(r => _taskByPartition.GetValueOrDefault(r.TopicPartition))
                .OfType<ActiveTask>()
                .Distinct()
                .ToList();
            foreach (var task in tasks)
            {
                // Another member may own these partitions already: nothing of theirs may be committed from here.
                CloseTask(task, clean: false);
            }

            if (_transactional && !_crashing)
            {
                _output!.Producer.AbortTransaction(_options.BrokerTimeout);
                _output.Producer.BeginTransaction();
            }

            PublishTaskIds();
            LogLost(_logger, _topology.ApplicationId, lost.Count);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _callbackFailure ??= e;
        }
    }

    private ActiveTask CreateTask(TaskId id)
    {
        var taskDirectory = Path.Combine(_stateDirectory, id.ToString());
        var checkpoint = TaskCheckpoint.TakeOver(taskDirectory, (changelog, offset) => _restorer!.Holds(changelog, id.Partition, offset));
        var task = new StreamTask(_topology, id, new StreamTaskOptions
        {
            Collector = _output!,
            ChangelogWriter = _output,
            TimeProvider = _options.TimeProvider,
            StateDirectory = _stateDirectory,
            DeserializationErrorHandler = _options.DeserializationErrors == DeserializationErrorPolicy.DeadLetter
                ? new DeadLetterWriter(_output!, _options.TimeProvider, _logger)
                : null,
            MaxEventTimeAhead = _options.MaxEventTimeAhead,
        });
        var active = new ActiveTask(task);
        try
        {
            var restores = new List<StoreRestore>();
            foreach (var store in task.StoreNames)
            {
                if (_topology.ChangelogTopicFor(store) is not { } changelog)
                {
                    continue;
                }

                active.LoggedStores.Add((store, changelog));
                // Only a persistent store closed cleanly holds state that the changelog up to the checkpoint confirms.
                var start = _persistentStores[store] && checkpoint.TryGetValue(changelog, out var offset) ? offset : 0;
                restores.Add(_restorer!.Restore(task, store, changelog, id.Partition, start));
            }

            SettleTails(active, restores);
            var restored = restores.Sum(r => r.Applied);
            Interlocked.Add(ref _restored, restored);
            StreamsBindingMetrics.RestoredRecords.Add(restored);
            LogRestored(_logger, id, restored);
        }
        catch
        {
            task.Dispose();
            throw;
        }

        return active;
    }

    /// <summary>
    /// Decides the records after each store's last commit marker. Commits are sequential and write all changelog
    /// records (acknowledged) before any marker, so with S the newest marker of any store: a store whose last marker is
    /// S has a tail from the unfinished commit S+1 (superseded by relogging its keys); a store whose last marker is S-1
    /// holds all of commit S in its tail (applied). With transactions, only committed records are read: all apply.
    /// </summary>
    private void SettleTails(ActiveTask active, List<StoreRestore> restores)
    {
        var latest = restores.Select(r => r.LastMarker).OfType<CommitMarker>().MaxBy(m => m.Sequence);
        foreach (var restore in restores)
        {
            if (restore.Tail.Count == 0)
            {
                continue;
            }

            var last = restore.LastMarker?.Sequence ?? 0;
            if (_transactional || (latest is not null && last == latest.Sequence - 1))
            {
                ChangelogRestorer.Apply(active.Task, restore, restore.Tail);
            }
            else if (latest is null || last == latest.Sequence)
            {
                active.Task.RelogStore(restore.Store, restore.Tail.Select(r => r.Key));
                active.Dirty = true;
                LogSuperseded(_logger, active.Task.Id, restore.Store, restore.Tail.Count);
                restore.Tail.Clear();
            }
            else
            {
                throw new KafkaStreamsException($"Changelog of store '{restore.Store}' in task {active.Task.Id} ends at commit {last}, others at {latest.Sequence}: records are missing.");
            }
        }

        if (latest is not null)
        {
            active.NextSequence = latest.Sequence + 1;
            active.Task.ResumeStreamTime(latest.StreamTime);
            foreach (var position in latest.Positions)
            {
                active.ResumePositions[position.TopicPartition] = position.Offset.Value;
            }
        }
    }

    private void CloseTask(ActiveTask task, bool clean)
    {
        var id = task.Task.Id;
        try
        {
            if (clean)
            {
                var offsets = new Dictionary<string, long>(StringComparer.Ordinal);
                foreach (var store in task.Task.StoreNames)
                {
                    if (_persistentStores[store] && _topology.ChangelogTopicFor(store) is { } changelog)
                    {
                        offsets[changelog] = _restorer!.CheckpointOffset(changelog, id.Partition);
                    }
                }

                task.Task.Dispose();
                if (offsets.Count > 0)
                {
                    TaskCheckpoint.Write(Path.Combine(_stateDirectory, id.ToString()), offsets);
                }
            }
            else
            {
                task.Task.Dispose();
            }
        }
        finally
        {
            _tasks.Remove(id);
            foreach (var partition in task.Partitions)
            {
                _taskByPartition.Remove(partition);
            }
        }
    }

    private void Shutdown()
    {
        try
        {
            if (_consumer is not null)
            {
                if (_crashing)
                {
                    // A dying process does not leave its group politely; the group notices when the session expires.
                    _consumer.Dispose();
                }
                else
                {
                    _consumer.Close();
                    _consumer.Dispose();
                }
            }
        }
        finally
        {
            foreach (var task in _tasks.Values.ToList())
            {
                CloseTask(task, clean: false);
            }

            PublishTaskIds();
            Dispose();
        }
    }

    /// <summary>Releases the producer and the restore consumer (the group consumer is closed by <see cref="Run"/>).</summary>
    public void Dispose()
    {
        _restorer?.Dispose();
        _restorer = null;
        _output?.Dispose();
        _output = null;
    }

    private void PublishTaskIds() => _activeTaskIds = [.. _tasks.Keys.OrderBy(t => t.SubTopology).ThenBy(t => t.Partition)];

    private static Headers? ToHeaders(Confluent.Kafka.Headers? headers)
    {
        if (headers is null || headers.Count == 0)
        {
            return null;
        }

        var result = new Headers(headers.Count);
        foreach (var header in headers)
        {
            result.Add(header.Key, header.GetValueBytes());
        }

        return result;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Application}: {Partitions} partitions assigned, {Tasks} active tasks")]
    private static partial void LogAssigned(ILogger logger, string application, int partitions, int tasks);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Application}: {Partitions} partitions revoked (committed first), {Tasks} active tasks")]
    private static partial void LogRevoked(ILogger logger, string application, int partitions, int tasks);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Application}: {Partitions} partitions lost; their uncommitted work is dropped and will be replayed by the new owner")]
    private static partial void LogLost(ILogger logger, string application, int partitions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {Task}: {Records} changelog records of store {Store} belong to a commit that never completed; they are superseded at the next commit")]
    private static partial void LogSuperseded(ILogger logger, TaskId task, string store, int records);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Application}: offset commit refused ({Code}) while the group rebalances; the commit markers hold the positions")]
    private static partial void LogCommitRefused(ILogger logger, string application, ErrorCode code);

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {Task}: restored {Records} changelog records")]
    private static partial void LogRestored(ILogger logger, TaskId task, long records);

    /// <summary>A task and the input offsets it has processed and committed.</summary>
    private sealed class ActiveTask(StreamTask task)
    {
        public StreamTask Task { get; } = task;

        public HashSet<TopicPartition> Partitions { get; } = [];

        public Dictionary<TopicPartition, long> NextOffsets { get; } = [];

        public Dictionary<TopicPartition, long> CommittedOffsets { get; } = [];

        public bool Dirty { get; set; }

        /// <summary>Stores with changelogs, and their topics.</summary>
        public List<(string Store, string Changelog)> LoggedStores { get; } = [];

        /// <summary>Input positions of the restored state (from the last commit marker).</summary>
        public Dictionary<TopicPartition, long> ResumePositions { get; } = [];

        /// <summary>Sequence number of the next commit marker.</summary>
        public long NextSequence { get; set; } = 1;
    }
}
