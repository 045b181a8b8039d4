using Confluent.Kafka;

namespace StreamBilling.Kafka;

/// <summary>
/// Decides where a group consumer starts on newly assigned partitions, and refuses to start past deleted records:
/// consumers run with <c>auto.offset.reset=error</c>, so librdkafka never skips silently, and this resolves the
/// legitimate starts (committed offset, or the beginning of a never-truncated partition) explicitly.
/// </summary>
public static class StartOffsets
{
    private static readonly TimeSpan BrokerTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Start offsets for <paramref name="partitions"/>; throws <see cref="TopicTruncatedException"/> when a committed offset (or, under <see cref="MissingOffsetPolicy.FailIfTruncated"/>, offset 0) was deleted.</summary>
    public static IReadOnlyList<TopicPartitionOffset> Resolve<TKey, TValue>(IConsumer<TKey, TValue> consumer, IReadOnlyList<TopicPartition> partitions, MissingOffsetPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        ArgumentNullException.ThrowIfNull(partitions);
        if (partitions.Count == 0)
        {
            return [];
        }

        var committed = consumer.Committed(partitions, BrokerTimeout);
        var starts = new List<TopicPartitionOffset>(committed.Count);
        foreach (var entry in committed)
        {
            var watermarks = consumer.QueryWatermarkOffsets(entry.TopicPartition, BrokerTimeout);
            long low = watermarks.Low;
            long start;
            if (entry.Offset.IsSpecial)
            {
                start = policy switch
                {
                    MissingOffsetPolicy.Latest => watermarks.High,
                    MissingOffsetPolicy.Earliest => low,
                    _ when low == 0 => 0,
                    _ => throw new TopicTruncatedException(entry.Topic, entry.Partition, null, low),
                };
            }
            else if (entry.Offset.Value < low)
            {
                throw new TopicTruncatedException(entry.Topic, entry.Partition, entry.Offset.Value, low);
            }
            else
            {
                start = entry.Offset.Value;
            }

            starts.Add(new TopicPartitionOffset(entry.TopicPartition, new Offset(start)));
        }

        return starts;
    }
}
