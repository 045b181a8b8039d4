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

    /// <summary>Applies records from <paramref name="startOffset"/> to the end; returns how many were applied.</summary>
    public long Restore(StreamTask task, string store, string topic, int partition, long startOffset)
    {
        var topicPartition = new TopicPartition(topic, new Partition(partition));
        var watermarks = _consumer.QueryWatermarkOffsets(topicPartition, _timeout);
        if (watermarks.High.Value <= startOffset)
        {
            return 0;
        }

        if (watermarks.Low.Value > startOffset)
        {
            throw new TopicTruncatedException(topic, partition, startOffset, watermarks.Low.Value);
        }

        var batch = new List<ChangelogRecord>(BatchSize);
        long restored = 0;
        _consumer.Assign(new TopicPartitionOffset(topicPartition, new Offset(startOffset)));
        try
        {
            var deadline = DateTimeOffset.UtcNow + _timeout;
            while (true)
            {
                ConsumeResult<byte[], byte[]>? result;
                try
                {
                    result = _consumer.Consume(TimeSpan.FromMilliseconds(100));
                }
                catch (ConsumeException e) when (KafkaConsumerExtensions.IsOffsetReset(e))
                {
                    // Records were deleted while we read.
                    throw new TopicTruncatedException(topic, partition, startOffset, _consumer.QueryWatermarkOffsets(topicPartition, _timeout).Low.Value, e);
                }

                if (result is null)
                {
                    if (DateTimeOffset.UtcNow > deadline)
                    {
                        throw new KafkaStreamsException($"Restoring {topic}/{partition} did not reach its end offset {watermarks.High.Value} within {_timeout}.");
                    }

                    continue;
                }

                if (result.IsPartitionEOF)
                {
                    break;
                }

                deadline = DateTimeOffset.UtcNow + _timeout;
                if ((byte[]?)result.Message.Key is { } key)
                {
                    batch.Add(new ChangelogRecord(topic, partition, key, result.Message.Value, result.Message.Timestamp.UtcDateTime));
                }

                if (batch.Count == BatchSize)
                {
                    task.RestoreStore(store, batch);
                    restored += batch.Count;
                    batch.Clear();
                }

                if (result.Offset.Value + 1 >= watermarks.High.Value)
                {
                    break;
                }
            }

            if (batch.Count > 0)
            {
                task.RestoreStore(store, batch);
                restored += batch.Count;
            }
        }
        finally
        {
            _consumer.Unassign();
        }

        return restored;
    }

    public void Dispose()
    {
        _consumer.Close();
        _consumer.Dispose();
    }
}
