using Confluent.Kafka;

namespace StreamBilling.Kafka;

/// <summary>
/// Decides where a group consumer starts on newly assigned partitions. Consumers run with <c>auto.offset.reset=error</c>,
/// so librdkafka never skips deleted records silently: a start offset below the low watermark makes the next fetch fail,
/// which <see cref="KafkaConsumerExtensions.ConsumeChecked{TKey, TValue}(IConsumer{TKey, TValue}, TimeSpan)"/> reports as
/// <see cref="TopicTruncatedException"/>. Nothing is thrown here: an exception inside a rebalance callback leaves the
/// consumer mid-rebalance, and closing it then hangs.
/// </summary>
public static class StartOffsets
{
    private static readonly TimeSpan BrokerTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Explicit start offsets for <paramref name="partitions"/>: the group's committed offset where there is one, else per <paramref name="policy"/>.</summary>
    public static IReadOnlyList<TopicPartitionOffset> Resolve<TKey, TValue>(IConsumer<TKey, TValue> consumer, IReadOnlyList<TopicPartition> partitions, MissingOffsetPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        ArgumentNullException.ThrowIfNull(partitions);
        if (partitions.Count == 0)
        {
            return [];
        }

        return consumer.Committed(partitions, BrokerTimeout)
            .Select(committed => new TopicPartitionOffset(committed.TopicPartition, committed.Offset.IsSpecial
                ? policy switch
                {
                    MissingOffsetPolicy.Earliest => Offset.Beginning,
                    MissingOffsetPolicy.Latest => Offset.End,

                    // Offset 0 rather than "beginning": if records were already deleted, the fetch fails instead of skipping them.
                    _ => new Offset(0),
                }
                : committed.Offset))
            .ToList();
    }
}
