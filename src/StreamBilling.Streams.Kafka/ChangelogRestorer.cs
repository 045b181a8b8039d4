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
    private readonly IConsumer<byte[], byte[]> _consumer;
    private readonly TimeSpan _timeout;

    public ChangelogRestorer(IConsumer<byte[], byte[]> consumer, TimeSpan timeout)
    {
        _consumer = consumer;
        _timeout = timeout;
    }

    /// <summary>The offset after the partition's last record.</summary>
    public long EndOffset(string topic, int partition) =>
        _consumer.QueryWatermarkOffsets(new TopicPartition(topic, new Partition(partition)), _timeout).High.Value;

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
            var deadline = DateTimeOffset.UtcNow + _timeout;
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
                    if (DateTimeOffset.UtcNow > deadline)
                    {
                        throw new KafkaStreamsException($"Restoring {topic}/{partition} did not reach its end offset {watermarks.High.Value} within {_timeout}.");
                    }

                    continue;
                }

                if (record.IsPartitionEOF)
                {
                    break;
                }

                deadline = DateTimeOffset.UtcNow + _timeout;
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
