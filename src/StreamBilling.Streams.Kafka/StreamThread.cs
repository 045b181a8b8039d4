using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using StreamBilling.Kafka;

namespace StreamBilling.Streams.Kafka;

/// <summary>
/// The poll loop of one stream application instance: a group consumer over every source topic, the
/// <see cref="TaskManager"/>'s tasks (one per assigned sub-topology and partition), one producer for output and
/// changelogs, and an <see cref="ICommitProtocol"/> (transactions or commit markers) for commits. Everything here runs
/// on the thread's own OS thread, including librdkafka's rebalance callbacks (they fire inside Consume).
/// </summary>
internal sealed partial class StreamThread : IDisposable
{
    private readonly Topology _topology;
    private readonly KafkaClientFactory _clients;
    private readonly KafkaStreamsOptions _options;
    private readonly ICommitProtocol _protocol;
    private readonly PartitionAssignmentStrategy _strategy;
    private readonly string _stateDirectory;
    private readonly ProcessDeath _death;
    private readonly ILogger _logger;
    private IConsumer<byte[], byte[]>? _consumer;
    private OutputProducer? _output;
    private ChangelogRestorer? _restorer;
    private TaskManager? _tasks;
    private Exception? _callbackFailure;
    private volatile bool _assigned;
    private volatile bool _restoring;
    private long _processed;
    private long _commits;
    private long _lag = -1;
    private DateTimeOffset _lastCommit;

    public StreamThread(
        Topology topology,
        KafkaClientFactory clients,
        KafkaStreamsOptions options,
        bool transactional,
        PartitionAssignmentStrategy strategy,
        string stateDirectory,
        ICrashPoints crashPoints,
        ILogger logger)
    {
        _topology = topology;
        _clients = clients;
        _options = options;
        _strategy = strategy;
        _stateDirectory = stateDirectory;
        _logger = logger;
        _death = new ProcessDeath(crashPoints, topology.ApplicationId);
        _protocol = transactional
            ? new TransactionalCommitProtocol(topology.ApplicationId, options.InstanceId, options.BrokerTimeout)
            : new MarkerCommitProtocol(topology.ApplicationId, options.BrokerTimeout, _death, logger);
    }

    public IReadOnlyCollection<TaskId> ActiveTaskIds => _tasks?.ActiveTaskIds ?? [];

    public long Processed => Interlocked.Read(ref _processed);

    public long Commits => Interlocked.Read(ref _commits);

    public long Restored => _tasks?.Restored ?? 0;

    /// <summary>True once the group gave this thread its first assignment (possibly empty) and its stores were restored.</summary>
    public bool Assigned => _assigned;

    /// <summary>Records behind the high watermarks of the assigned partitions at the last commit; -1 before the first.</summary>
    public long Lag => Interlocked.Read(ref _lag);

    /// <summary>True while an assignment's stores are being restored from their changelogs.</summary>
    public bool Restoring => _restoring;

    /// <summary>Runs until <paramref name="stop"/> fires, then commits and leaves the group (unless dying).</summary>
    public void Run(CancellationToken stop)
    {
        var appId = _topology.ApplicationId;
        _output = new OutputProducer(
            _clients.CreateProducer(Serializers.ByteArray, Serializers.ByteArray, config =>
            {
                config.ClientId = $"{appId}-{_options.InstanceId}-producer";
                // Delivery reports only need the error: copying key, value and headers back for every record costs CPU.
                config.DeliveryReportFields = "status";
                _protocol.ConfigureProducer(config);
            }),
            _options.TimeProvider);
        _restorer = new ChangelogRestorer(
            _clients.CreateRawConsumer($"{appId}-restore", new KafkaConsumerOptions
            {
                Configure = config =>
                {
                    config.ClientId = $"{appId}-{_options.InstanceId}-restore";
                    config.EnablePartitionEof = true;
                    config.IsolationLevel = _protocol.IsolationLevel;
                },
            }),
            _options.BrokerTimeout,
            _options.TimeProvider);
        _tasks = new TaskManager(_topology, _options, _stateDirectory, _output, _restorer, _protocol, _logger);
        _consumer = _clients.CreateRawConsumer(appId, new KafkaConsumerOptions
        {
            ResolveStarts = OnAssigned,
            PartitionsRevoked = OnRevoked,
            PartitionsLost = OnLost,
            Configure = config =>
            {
                config.ClientId = $"{appId}-{_options.InstanceId}-consumer";
                config.PartitionAssignmentStrategy = _strategy;
                config.IsolationLevel = _protocol.IsolationLevel;
            },
        });

        try
        {
            _protocol.Start(_output, _consumer);
            _consumer.Subscribe(_topology.SourceTopics);
            _lastCommit = _options.TimeProvider.GetUtcNow();
            while (!stop.IsCancellationRequested)
            {
                PollOnce();
            }

            if (!_death.DiesOnStop())
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

        foreach (var task in _tasks!.Tasks)
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
        var task = _tasks!.ForPartition(topicPartition);
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
    /// Makes the work since the last commit durable: the tasks flush (stores to changelogs, processors' pending output),
    /// then the commit protocol makes output and changelogs, commit markers and offsets durable.
    /// </summary>
    private void Commit()
    {
        var started = _options.TimeProvider.GetTimestamp();
        var tasks = _tasks!;
        var committed = _protocol.Commit(tasks.FlushAll(), tasks.WriteCommitMarkers);
        tasks.Committed(committed);
        _lastCommit = _options.TimeProvider.GetUtcNow();
        Interlocked.Exchange(ref _lag, tasks.MeasureLag(_consumer!));
        Interlocked.Increment(ref _commits);
        StreamsBindingMetrics.CommitDuration.Record(_options.TimeProvider.GetElapsedTime(started).TotalSeconds);
    }

    private IReadOnlyList<TopicPartitionOffset> OnAssigned(IReadOnlyList<TopicPartitionOffset> starts)
    {
        if (_death.Dying || _callbackFailure is not null)
        {
            return starts;
        }

        // Restoration runs inside this callback: readiness checks see it from the flag.
        _restoring = true;
        try
        {
            StreamsBindingMetrics.Rebalances.Add(1, new KeyValuePair<string, object?>("event", "assigned"));
            var adjusted = _tasks!.Assign(starts);
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
        if (_death.Dying || _callbackFailure is not null)
        {
            return;
        }

        try
        {
            StreamsBindingMetrics.Rebalances.Add(1, new KeyValuePair<string, object?>("event", "revoked"));
            // Everything is committed, not only the revoked tasks: one transaction/offset commit covers the thread.
            Commit();
            _tasks!.Revoke(revoked);
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
            _tasks!.Lose(lost);
            if (!_death.Dying)
            {
                _protocol.AbandonUncommitted();
            }

            LogLost(_logger, _topology.ApplicationId, lost.Count);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _callbackFailure ??= e;
        }
    }

    private void Shutdown()
    {
        try
        {
            if (_consumer is not null)
            {
                if (_death.Dying)
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
            _tasks?.CloseAll();
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
}
