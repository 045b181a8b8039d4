using Confluent.Kafka;

namespace StreamBilling.Kafka;

/// <summary>Consume calls that turn librdkafka's offset-reset error into a <see cref="TopicTruncatedException"/>.</summary>
public static class KafkaConsumerExtensions
{
    private static readonly TimeSpan BrokerTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Consumes the next record, or null after <paramref name="timeout"/>; throws <see cref="TopicTruncatedException"/> when the fetch position fell below the low watermark.</summary>
    public static ConsumeResult<TKey, TValue>? ConsumeChecked<TKey, TValue>(this IConsumer<TKey, TValue> consumer, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        try
        {
            return consumer.Consume(timeout);
        }
        catch (ConsumeException e) when (e.Error.Code == ErrorCode.Local_AutoOffsetReset)
        {
            throw Truncated(consumer, e);
        }
    }

    /// <summary>Consumes the next record, blocking until one arrives or <paramref name="cancellationToken"/> fires; throws <see cref="TopicTruncatedException"/> on truncation.</summary>
    public static ConsumeResult<TKey, TValue> ConsumeChecked<TKey, TValue>(this IConsumer<TKey, TValue> consumer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        try
        {
            return consumer.Consume(cancellationToken);
        }
        catch (ConsumeException e) when (e.Error.Code == ErrorCode.Local_AutoOffsetReset)
        {
            throw Truncated(consumer, e);
        }
    }

    /// <summary>
    /// Leaves the consumer group. A close that fails (it times out when the coordinator is busy, e.g. rebalancing after
    /// another member was killed) returns the error instead of throwing: the services that use this commit their offsets
    /// explicitly, so the only effect is that the group notices the departure at the session timeout, and a stopping
    /// host must not exit with a failure for it.
    /// </summary>
    /// <returns>The close's error, or null when the consumer left the group.</returns>
    public static KafkaException? CloseLeavingGroup<TKey, TValue>(this IConsumer<TKey, TValue> consumer)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        try
        {
            consumer.Close();
            return null;
        }
        catch (KafkaException e)
        {
            return e;
        }
    }

    /// <summary>Whether <paramref name="exception"/> is librdkafka reporting that an offset was out of range with resets disabled.</summary>
    public static bool IsOffsetReset(ConsumeException exception) =>
        exception?.Error.Code == ErrorCode.Local_AutoOffsetReset;

    private static TopicTruncatedException Truncated<TKey, TValue>(IConsumer<TKey, TValue> consumer, ConsumeException error)
    {
        var where = error.ConsumerRecord?.TopicPartitionOffset;
        if (where is null || string.IsNullOrEmpty(where.Topic))
        {
            return new TopicTruncatedException($"An offset fell out of range and resets are disabled: {error.Error.Reason}", error);
        }

        long low;
        try
        {
            low = consumer.QueryWatermarkOffsets(where.TopicPartition, BrokerTimeout).Low;
        }
        catch (KafkaException)
        {
            low = -1;
        }

        long? expected = where.Offset.IsSpecial ? null : where.Offset.Value;
        return new TopicTruncatedException(where.Topic, where.Partition, expected, low, error);
    }
}
