using Confluent.Kafka;

namespace StreamBilling.Kafka;

/// <summary>Decorates a producer with per-topic produced counts (on successful delivery) and produce spans.</summary>
internal sealed class InstrumentedProducer<TKey, TValue>(IProducer<TKey, TValue> inner, KafkaTelemetry telemetry) : IProducer<TKey, TValue>
{
    public Handle Handle => inner.Handle;

    public string Name => inner.Name;

    public async Task<DeliveryResult<TKey, TValue>> ProduceAsync(string topic, Message<TKey, TValue> message, CancellationToken cancellationToken = default)
    {
        using var activity = KafkaTelemetry.StartProduce(topic);
        var result = await inner.ProduceAsync(topic, message, cancellationToken).ConfigureAwait(false);
        telemetry.RecordProduced(result.Topic);
        activity?.SetTag("messaging.destination.partition.id", result.Partition.Value);
        activity?.SetTag("messaging.kafka.offset", result.Offset.Value);
        return result;
    }

    public async Task<DeliveryResult<TKey, TValue>> ProduceAsync(TopicPartition topicPartition, Message<TKey, TValue> message, CancellationToken cancellationToken = default)
    {
        using var activity = KafkaTelemetry.StartProduce(topicPartition.Topic);
        var result = await inner.ProduceAsync(topicPartition, message, cancellationToken).ConfigureAwait(false);
        telemetry.RecordProduced(result.Topic);
        return result;
    }

    public void Produce(string topic, Message<TKey, TValue> message, Action<DeliveryReport<TKey, TValue>>? deliveryHandler = null)
    {
        using var activity = KafkaTelemetry.StartProduce(topic);
        inner.Produce(topic, message, Counting(deliveryHandler));
    }

    public void Produce(TopicPartition topicPartition, Message<TKey, TValue> message, Action<DeliveryReport<TKey, TValue>>? deliveryHandler = null)
    {
        using var activity = KafkaTelemetry.StartProduce(topicPartition.Topic);
        inner.Produce(topicPartition, message, Counting(deliveryHandler));
    }

    public int Poll(TimeSpan timeout) => inner.Poll(timeout);

    public int Flush(TimeSpan timeout) => inner.Flush(timeout);

    public void Flush(CancellationToken cancellationToken = default) => inner.Flush(cancellationToken);

    public int AddBrokers(string brokers) => inner.AddBrokers(brokers);

    public void SetSaslCredentials(string username, string password) => inner.SetSaslCredentials(username, password);

    public void InitTransactions(TimeSpan timeout) => inner.InitTransactions(timeout);

    public void BeginTransaction() => inner.BeginTransaction();

    public void CommitTransaction(TimeSpan timeout) => inner.CommitTransaction(timeout);

    public void CommitTransaction() => inner.CommitTransaction();

    public void AbortTransaction(TimeSpan timeout) => inner.AbortTransaction(timeout);

    public void AbortTransaction() => inner.AbortTransaction();

    public void SendOffsetsToTransaction(IEnumerable<TopicPartitionOffset> offsets, IConsumerGroupMetadata groupMetadata, TimeSpan timeout) =>
        inner.SendOffsetsToTransaction(offsets, groupMetadata, timeout);

    public void Dispose() => inner.Dispose();

    // Callers pass the same handler for every record: wrapping it once saves a closure per produced record.
    private Wrapped? _lastWrapped;

    private Action<DeliveryReport<TKey, TValue>> Counting(Action<DeliveryReport<TKey, TValue>>? handler)
    {
        var last = Volatile.Read(ref _lastWrapped);
        if (last is not null && ReferenceEquals(last.Handler, handler))
        {
            return last.Counting;
        }

        Action<DeliveryReport<TKey, TValue>> counting = report =>
        {
            if (!report.Error.IsError)
            {
                telemetry.RecordProduced(report.Topic);
            }

            handler?.Invoke(report);
        };
        Volatile.Write(ref _lastWrapped, new Wrapped(handler, counting));
        return counting;
    }

    private sealed record Wrapped(Action<DeliveryReport<TKey, TValue>>? Handler, Action<DeliveryReport<TKey, TValue>> Counting);
}
