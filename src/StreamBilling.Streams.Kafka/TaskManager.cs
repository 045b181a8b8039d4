using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace StreamBilling.Streams.Kafka;

/// <summary>
/// The tasks of one stream thread: creates a task (and restores its stores) when the group assigns its partitions,
/// closes it when they are revoked (cleanly: a checkpoint for the next owner on this machine) or lost, and keeps each
/// task's input positions, which commits and commit markers carry.
/// </summary>
internal sealed partial class TaskManager(
    Topology topology,
    KafkaStreamsOptions options,
    string stateDirectory,
    OutputProducer output,
    ChangelogRestorer restorer,
    ICommitProtocol protocol,
    ILogger logger)
{
    private readonly Dictionary<TaskId, ActiveTask> _tasks = [];
    private readonly Dictionary<TopicPartition, ActiveTask> _taskByPartition = [];
    private readonly Dictionary<string, bool> _persistentStores = topology.Stores.ToDictionary(s => s.Name, s => s.Persistent, StringComparer.Ordinal);
    private volatile TaskId[] _activeTaskIds = [];
    private long _restored;

    /// <summary>Ids of the running tasks, readable from any thread.</summary>
    public IReadOnlyCollection<TaskId> ActiveTaskIds => _activeTaskIds;

    /// <summary>Changelog records replayed into stores so far.</summary>
    public long Restored => Interlocked.Read(ref _restored);

    public IEnumerable<ActiveTask> Tasks => _tasks.Values;

    public int Count => _tasks.Count;

    /// <summary>The task reading <paramref name="partition"/>.</summary>
    public ActiveTask ForPartition(TopicPartition partition) =>
        _taskByPartition.TryGetValue(partition, out var task)
            ? task
            : throw new KafkaStreamsException($"Received {partition} without an assigned task.");

    /// <summary>
    /// Creates (and restores) the tasks of newly assigned partitions; returns where each partition's input starts: the
    /// position recorded with the restored state, else the group's offset.
    /// </summary>
    public IReadOnlyList<TopicPartitionOffset> Assign(IReadOnlyList<TopicPartitionOffset> starts)
    {
        var adjusted = new List<TopicPartitionOffset>(starts.Count);
        foreach (var start in starts)
        {
            var subTopology = topology.SubTopologyOf(start.Topic);
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
        return adjusted;
    }

    /// <summary>Closes the tasks of revoked partitions cleanly; call after committing.</summary>
    public void Revoke(IReadOnlyList<TopicPartitionOffset> revoked)
    {
        foreach (var task in TasksOf(revoked))
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
    }

    /// <summary>Closes the tasks of lost partitions without committing or checkpointing anything.</summary>
    public void Lose(IReadOnlyList<TopicPartitionOffset> lost)
    {
        foreach (var task in TasksOf(lost))
        {
            // Another member may own these partitions already: nothing of theirs may be committed from here.
            CloseTask(task, clean: false);
        }

        PublishTaskIds();
    }

    /// <summary>Closes every task without a checkpoint (the thread stops; a clean stop committed first).</summary>
    public void CloseAll()
    {
        foreach (var task in _tasks.Values.ToList())
        {
            CloseTask(task, clean: false);
        }

        PublishTaskIds();
    }

    /// <summary>Flushes every task (stores to changelogs, processors' pending output); returns the offsets that changed since the last commit.</summary>
    public List<TopicPartitionOffset> FlushAll()
    {
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

        return offsets;
    }

    /// <summary>Appends a commit marker to every changelog partition of each task that changed; true if any was written.</summary>
    public bool WriteCommitMarkers()
    {
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

        return marked;
    }

    /// <summary>Records what the group now holds and starts a new commit period.</summary>
    public void Committed(IReadOnlyList<TopicPartitionOffset> offsets)
    {
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
    }

    /// <summary>
    /// Records between each assigned partition's position and its high watermark, from the consumer's cached fetch
    /// metadata (no broker call): the application's consumer lag, which the lag gauge reports.
    /// </summary>
    public long MeasureLag(IConsumer<byte[], byte[]> consumer)
    {
        long lag = 0;
        foreach (var (partition, task) in _taskByPartition)
        {
            var high = consumer.GetWatermarkOffsets(partition).High;
            if (high.IsSpecial)
            {
                continue;
            }

            var position = task.NextOffsets.TryGetValue(partition, out var next) ? next : consumer.Position(partition).Value;
            if (position >= 0)
            {
                lag += Math.Max(0, high.Value - position);
            }
        }

        return lag;
    }

    private List<ActiveTask> TasksOf(IReadOnlyList<TopicPartitionOffset> partitions) =>
        [.. partitions.Select(r => _taskByPartition.GetValueOrDefault(r.TopicPartition)).OfType<ActiveTask>().Distinct()];

    private ActiveTask CreateTask(TaskId id)
    {
        var taskDirectory = Path.Combine(stateDirectory, id.ToString());
        var checkpoint = TaskCheckpoint.TakeOver(taskDirectory, (changelog, offset) => restorer.Holds(changelog, id.Partition, offset));
        var task = new StreamTask(topology, id, new StreamTaskOptions
        {
            Collector = output,
            ChangelogWriter = output,
            TimeProvider = options.TimeProvider,
            StateDirectory = stateDirectory,
            DeserializationErrorHandler = options.DeserializationErrors == DeserializationErrorPolicy.DeadLetter
                ? new DeadLetterWriter(output, options.TimeProvider, logger)
                : null,
            MaxEventTimeAhead = options.MaxEventTimeAhead,
        });
        var active = new ActiveTask(task);
        try
        {
            var restores = new List<StoreRestore>();
            foreach (var store in task.StoreNames)
            {
                if (topology.ChangelogTopicFor(store) is not { } changelog)
                {
                    continue;
                }

                active.LoggedStores.Add((store, changelog));
                // Only a persistent store closed cleanly holds state that the changelog up to the checkpoint confirms.
                var start = _persistentStores[store] && checkpoint.TryGetValue(changelog, out var offset) ? offset : 0;
                restores.Add(restorer.Restore(task, store, changelog, id.Partition, start));
            }

            SettleTails(active, restores);
            var restored = restores.Sum(r => r.Applied);
            Interlocked.Add(ref _restored, restored);
            StreamsBindingMetrics.RestoredRecords.Add(restored);
            LogRestored(logger, id, restored);
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
            if (protocol.TailsAreCommitted || (latest is not null && last == latest.Sequence - 1))
            {
                ChangelogRestorer.Apply(active.Task, restore, restore.Tail);
            }
            else if (latest is null || last == latest.Sequence)
            {
                active.Task.RelogStore(restore.Store, restore.Tail.Select(r => r.Key));
                active.Dirty = true;
                LogSuperseded(logger, active.Task.Id, restore.Store, restore.Tail.Count);
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
                    if (_persistentStores[store] && topology.ChangelogTopicFor(store) is { } changelog)
                    {
                        offsets[changelog] = restorer.CheckpointOffset(changelog, id.Partition);
                    }
                }

                task.Task.Dispose();
                if (offsets.Count > 0)
                {
                    TaskCheckpoint.Write(Path.Combine(stateDirectory, id.ToString()), offsets);
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

    private void PublishTaskIds() => _activeTaskIds = [.. _tasks.Keys.OrderBy(t => t.SubTopology).ThenBy(t => t.Partition)];

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {Task}: {Records} changelog records of store {Store} belong to a commit that never completed; they are superseded at the next commit")]
    private static partial void LogSuperseded(ILogger logger, TaskId task, string store, int records);

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {Task}: restored {Records} changelog records")]
    private static partial void LogRestored(ILogger logger, TaskId task, long records);
}
