using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StreamBilling.Contracts;
using StreamBilling.Kafka;

namespace StreamBilling.Streams.Kafka;

/// <summary>
/// Runs a <see cref="Topology"/> against Kafka as one member of the consumer group named by its application id:
/// creates the internal topics (repartition, changelogs, late records), then a stream thread consumes every source
/// topic, runs one <see cref="StreamTask"/> per assigned partition, restores their stores from changelogs, and commits
/// output, changelogs and offsets together (transactions on a real cluster, ordered acknowledgement on the embedded one).
/// </summary>
public sealed partial class KafkaStreams : IAsyncDisposable
{
    private readonly Topology _topology;
    private readonly KafkaClientFactory _clients;
    private readonly ITopicProvisioner _provisioner;
    private readonly KafkaStreamsOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly bool _ownsStateDirectory;
    private readonly string _stateRoot;
    private readonly ICrashPoints _crashPoints;
    private StreamThread? _thread;
    private StateDirectoryLock? _lock;
    private volatile KafkaStreamsState _state = KafkaStreamsState.Created;

    /// <summary>Prepares an instance; nothing connects until <see cref="StartAsync"/>.</summary>
    public KafkaStreams(Topology topology, KafkaClientFactory clients, ITopicProvisioner provisioner, KafkaStreamsOptions? options = null, ILoggerFactory? loggerFactory = null)
        : this(topology, clients, provisioner, options, loggerFactory, NoCrashPoints.Instance)
    {
    }

    /// <summary>Prepares an instance whose stream thread dies where <paramref name="crashPoints"/> say (recovery tests).</summary>
    internal KafkaStreams(Topology topology, KafkaClientFactory clients, ITopicProvisioner provisioner, KafkaStreamsOptions? options, ILoggerFactory? loggerFactory, ICrashPoints crashPoints)
    {
        _topology = topology ?? throw new ArgumentNullException(nameof(topology));
        _clients = clients ?? throw new ArgumentNullException(nameof(clients));
        _provisioner = provisioner ?? throw new ArgumentNullException(nameof(provisioner));
        _options = options ?? new KafkaStreamsOptions();
        _options.Validate();
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<KafkaStreams>();
        _crashPoints = crashPoints ?? throw new ArgumentNullException(nameof(crashPoints));
        _ownsStateDirectory = _options.StateDirectory is null;
        _stateRoot = _options.StateDirectory ?? StateDirectoryLock.TemporaryRoot;
        Guarantee = _options.Guarantee == ProcessingGuarantee.ExactlyOnce && clients.Cluster.IsEmbedded
            ? ProcessingGuarantee.AtLeastOnceIdempotent
            : _options.Guarantee;
    }

    /// <summary>The guarantee in force: exactly-once falls back to idempotent at-least-once on the embedded cluster.</summary>
    public ProcessingGuarantee Guarantee { get; }

    /// <summary>Lifecycle state.</summary>
    public KafkaStreamsState State => _state;

    /// <summary>Why the instance failed, when <see cref="State"/> is <see cref="KafkaStreamsState.Failed"/>.</summary>
    public Exception? Error { get; private set; }

    /// <summary>Completes when the stream thread ends; faults with the error that stopped it.</summary>
    public Task Completion => _completion.Task;

    /// <summary>Tasks this instance runs now (changes on every rebalance).</summary>
    public IReadOnlyCollection<TaskId> ActiveTasks => _thread?.ActiveTaskIds ?? [];

    /// <summary>
    /// True when the instance is <see cref="KafkaStreamsState.Running"/>, has received its first partition assignment
    /// (which may be empty) and is not restoring stores from changelogs: it processes new input (readiness checks).
    /// </summary>
    public bool IsProcessing => _state == KafkaStreamsState.Running && _thread is { Assigned: true, Restoring: false };

    /// <summary>
    /// Input records not yet processed on the assigned partitions (high watermark minus position, summed), as measured
    /// at the last commit; -1 before the first commit. Exported as the <c>streambilling.streams.consumer_lag</c> gauge.
    /// </summary>
    public long ConsumerLag => _thread?.Lag ?? -1;

    /// <summary>The application id of the topology this instance runs.</summary>
    public string ApplicationId => _topology.ApplicationId;

    /// <summary>Input records processed since start.</summary>
    public long ProcessedRecords => _thread?.Processed ?? 0;

    /// <summary>The name of this instance's stream thread (the OS shows its first 15 characters).</summary>
    public string ThreadName => $"{_topology.ApplicationId}-stream-thread";

    /// <summary>Commits completed since start.</summary>
    public long Commits => _thread?.Commits ?? 0;

    /// <summary>Changelog records replayed into stores since start.</summary>
    public long RestoredRecords => _thread?.Restored ?? 0;

    /// <summary>Creates the internal topics and starts the stream thread.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_state != KafkaStreamsState.Created)
        {
            throw new InvalidOperationException($"A KafkaStreams instance starts once; it is {_state}.");
        }

        var plan = await PlanTopicsAsync(cancellationToken).ConfigureAwait(false);
        await _provisioner.EnsureTopicsAsync(plan.InternalTopics, cancellationToken).ConfigureAwait(false);

        var stateDirectory = Path.Combine(_stateRoot, _topology.ApplicationId, _options.InstanceId);
        if (_ownsStateDirectory)
        {
            // Killed processes leave their temporary directories behind; nobody else would ever remove them.
            foreach (var orphan in StateDirectoryLock.DeleteOrphans(_stateRoot))
            {
                LogOrphanDeleted(_logger, orphan);
            }
        }

        _lock = StateDirectoryLock.Acquire(stateDirectory);
        var strategy = _options.Assignment switch
        {
            PartitionAssignment.CooperativeSticky => PartitionAssignmentStrategy.CooperativeSticky,
            PartitionAssignment.Range => PartitionAssignmentStrategy.Range,
            _ => plan.CoPartitioned ? PartitionAssignmentStrategy.Range : PartitionAssignmentStrategy.CooperativeSticky,
        };
        LogStarting(_logger, _topology.ApplicationId, _options.InstanceId, Guarantee, strategy);
        if (Guarantee != _options.Guarantee)
        {
            LogNoTransactions(_logger, _topology.ApplicationId);
        }

        _thread = new StreamThread(_topology, _clients, _options, Guarantee == ProcessingGuarantee.ExactlyOnce, strategy, stateDirectory, _crashPoints, _logger);
        _state = KafkaStreamsState.Running;
        StreamsBindingMetrics.Track(this);
        var thread = new Thread(RunThread) { IsBackground = true, Name = ThreadName };
        thread.Start();
    }

    /// <summary>Stops after committing the work done; tasks close cleanly and the instance leaves the group.</summary>
    public async Task StopAsync()
    {
        if (_thread is null)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Completion.ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Already reported through State/Error; stopping a failed instance is not an error in itself.
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stop.Dispose();
        _lock?.Release(deleteDirectory: _ownsStateDirectory);
    }

    private void RunThread()
    {
        try
        {
            _thread!.Run(_stop.Token);
            _state = KafkaStreamsState.Stopped;
            StreamsBindingMetrics.Untrack(this);
            _completion.TrySetResult();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Error = e;
            _state = KafkaStreamsState.Failed;
            StreamsBindingMetrics.Untrack(this);
            LogFailed(_logger, e, _topology.ApplicationId);
            _completion.TrySetException(e);
        }
    }

    private async Task<TopicPlan> PlanTopicsAsync(CancellationToken cancellationToken)
    {
        var external = _topology.SourceTopics.Except(_topology.RepartitionTopics, StringComparer.Ordinal).ToList();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        using (var admin = _clients.CreateAdminClient())
        {
            foreach (var topic in external)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var metadata = await Task.Run(() => admin.GetMetadata(topic, _options.BrokerTimeout), cancellationToken).ConfigureAwait(false);
                var described = metadata.Topics.FirstOrDefault(t => t.Topic == topic);
                if (described is null || described.Error.IsError || described.Partitions.Count == 0)
                {
                    throw new KafkaStreamsException($"Source topic '{topic}' of application '{_topology.ApplicationId}' does not exist: create it (the topic catalog does) before starting.");
                }

                counts[topic] = described.Partitions.Count;
            }
        }

        var internalPartitions = _options.InternalTopicPartitions ?? (counts.Count == 0 ? 1 : counts.Values.Max());
        foreach (var topic in _topology.RepartitionTopics)
        {
            counts[topic] = internalPartitions;
        }

        var topics = new List<TopicSpec>();
        topics.AddRange(_topology.RepartitionTopics.Select(t => new TopicSpec(t, internalPartitions)));
        topics.Add(new TopicSpec(_topology.LateRecordsTopic, internalPartitions));
        if (_options.DeserializationErrors == DeserializationErrorPolicy.DeadLetter)
        {
            // The host provisions the catalog's dead-letter topics; this covers other sources. Repartition topics get
            // none: their records are the application's own, and a dead letter that cannot be written fails it loudly.
            topics.AddRange(external.Select(t => new TopicSpec(Topics.DeadLetterName(t), 1)));
        }
        var coPartitioned = false;
        foreach (var sub in _topology.SubTopologies)
        {
            var partitions = sub.SourceTopics.Select(t => counts[t]).Distinct().ToList();
            if (partitions.Count > 1)
            {
                throw new KafkaStreamsException(
                    $"Sub-topology {sub.Id} reads {string.Join(", ", sub.SourceTopics.Select(t => $"{t} ({counts[t]} partitions)"))}: co-partitioned topics need equal partition counts.");
            }

            coPartitioned |= sub.SourceTopics.Count > 1;
            foreach (var store in sub.StoreNames)
            {
                if (_topology.ChangelogTopicFor(store) is { } changelog)
                {
                    // One changelog partition per task: the task's input partition number.
                    topics.Add(new TopicSpec(changelog, partitions[0], TopicCleanupPolicy.Compact));
                }
            }
        }

        return new TopicPlan(topics, coPartitioned);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Starting {Application} instance {Instance}: {Guarantee}, {Strategy} assignment")]
    private static partial void LogStarting(ILogger logger, string application, string instance, ProcessingGuarantee guarantee, PartitionAssignmentStrategy strategy);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Application}: the embedded cluster has no transactions; running at-least-once with deterministic output ids (idempotent sinks)")]
    private static partial void LogNoTransactions(ILogger logger, string application);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted the orphaned state directory {Directory} (its lock was not held)")]
    private static partial void LogOrphanDeleted(ILogger logger, string directory);

    [LoggerMessage(Level = LogLevel.Critical, Message = "{Application} stopped on an error")]
    private static partial void LogFailed(ILogger logger, Exception exception, string application);

    private sealed record TopicPlan(List<TopicSpec> InternalTopics, bool CoPartitioned);
}
