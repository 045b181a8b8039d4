using Confluent.Kafka;
using StreamBilling.Kafka;

namespace StreamBilling.Streams.Kafka;

/// <summary>
/// Reads a changelog partition back into a task's store before the task processes anything. A changelog whose oldest
/// records are gone (low watermark above the start) cannot give complete state, so restore fails instead of
/// continuing with partial state — the embedded cluster keeps only ~5 MB per partition and never compacts.
/// </summary>
internal sealed class ChangelogRestorer : IDisposable
{
    private const int BatchSize = 2_000;
    private const long MarkerLookBack = 16;
    private readonly IConsumer<byte[], byte[]> _consumer;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;

    /// <param name="consumer">An assign-only consumer that reports partition ends.</param>
    /// <param name="timeout">How long the changelog may stay silent before the read fails.</param>
    /// <param name="time">Clock of the timeouts.</param>
    public ChangelogRestorer(IConsumer<byte[], byte[]> consumer, TimeSpan timeout, TimeProvider time)
    {
        _consumer = consumer;
        _timeout = timeout;
        _time = time;
    }

    /// <summary>Whether the partition holds <paramref name="offset"/> (or ends exactly there): a checkpoint there can be restored from.</summary>
    public bool Holds(string topic, int partition, long offset)
    {
        var watermarks = _consumer.QueryWatermarkOffsets(new TopicPartition(topic, new Partition(partition)), _timeout);
        return offset >= watermarks.Low.Value && offset <= watermarks.High.Value;
    }

    /// <summary>
    /// Where a restore of a cleanly closed store starts: the partition's last commit marker, so the restore reads it back
    /// and the task resumes its stream time, commit sequence and input positions; the end offset if no marker is among
    /// the last records (nothing was ever committed). A clean close commits first, so the marker is at most a few
    /// records (transaction markers) before the end.
    /// </summary>
    public long CheckpointOffset(string topic, int partition)
    {
        var topicPartition = new TopicPartition(topic, new Partition(partition));
        var watermarks = _consumer.QueryWatermarkOffsets(topicPartition, _timeout);
        var end = watermarks.High.Value;
        if (end <= watermarks.Low.Value)
        {
            return end;
        }

        long? marker = null;
        _consumer.Assign(new TopicPartitionOffset(topicPartition, new Offset(Math.Max(watermarks.Low.Value, end - MarkerLookBack))));
        try
        {
            var started = _time.GetTimestamp();
            while (true)
            {
                var record = _consumer.Consume(TimeSpan.FromMilliseconds(100));
                if (record is null)
                {
                    if (_time.GetElapsedTime(started) > _timeout)
                    {
                        break;
                    }

                    continue;
                }

                if (record.IsPartitionEOF)
                {
                    break;
                }

                if (CommitMarker.IsMarker(record.Message.Headers))
                {
                    marker = record.Offset.Value;
                }

                if (record.Offset.Value + 1 >= end)
                {
                    break;
                }
            }
        }
        finally
        {
            _consumer.Unassign();
        }

        return marker ?? end;
    }

    /// <summary>
    /// Reads the partition from <paramref name="startOffset"/> to its end, applying every group of records that a
    /// <see cref="CommitMarker"/> closes; records after the last marker come back as the tail, for the caller to apply
    /// (their commit completed elsewhere) or supersede (it did not).
    /// </summary>
    public StoreRestore Restore(StreamTask task, string store, string topic, int partition, long startOffset)
    {
        var topicPartition = new TopicPartition(topic, new Partition(partition));
        var watermarks = _consumer.QueryWatermarkOffsets(topicPartition, _timeout);
        var result = new StoreRestore(store);
        if (watermarks.High.Value <= startOffset)
        {
            return result;
        }

        if (watermarks.Low.Value > startOffset)
        {
            throw new TopicTruncatedException(topic, partition, startOffset, watermarks.Low.Value);
        }

        _consumer.Assign(new TopicPartitionOffset(topicPartition, new Offset(startOffset)));
        try
        {
            var lastRead = _time.GetTimestamp();
            while (true)
            {
                ConsumeResult<byte[], byte[]>? record;
                try
                {
                    record = _consumer.Consume(TimeSpan.FromMilliseconds(100));
                }
                catch (ConsumeException e) when (KafkaConsumerExtensions.IsOffsetReset(e))
                {
                    // Records were deleted while we read.
                    throw new TopicTruncatedException(topic, partition, startOffset, _consumer.QueryWatermarkOffsets(topicPartition, _timeout).Low.Value, e);
                }

                if (record is null)
                {
                    if (_time.GetElapsedTime(lastRead) > _timeout)
                    {
                        throw new KafkaStreamsException($"Restoring {topic}/{partition} did not reach its end offset {watermarks.High.Value} within {_timeout}.");
                    }

                    continue;
                }

                if (record.IsPartitionEOF)
                {
                    break;
                }

                lastRead = _time.GetTimestamp();
                if (CommitMarker.IsMarker(record.Message.Headers))
                {
                    Apply(task, result, result.Tail);
                    result.LastMarker = CommitMarker.Parse(record.Message.Value);
                }
                else if ((byte[]?)record.Message.Key is { } key)
                {
                    result.Tail.Add(new ChangelogRecord(topic, partition, key, record.Message.Value, record.Message.Timestamp.UtcDateTime));
                }

                if (record.Offset.Value + 1 >= watermarks.High.Value)
                {
                    break;
                }
            }
        }
        finally
        {
            _consumer.Unassign();
        }

        return result;
    }

    /// <summary>Applies <paramref name="records"/> to the store in batches and empties the list.</summary>
    public static void Apply(StreamTask task, StoreRestore restore, List<ChangelogRecord> records)
    {
        for (var i = 0; i < records.Count; i += BatchSize)
        {
            task.RestoreStore(restore.Store, records.GetRange(i, Math.Min(BatchSize, records.Count - i)));
        }

        restore.Applied += records.Count;
        records.Clear();
    }

    public void Dispose()
    {
        _consumer.Close();
        _consumer.Dispose();
    }
}
