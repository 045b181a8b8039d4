using Confluent.Kafka;

namespace StreamBilling.Kafka;

/// <summary>
/// A producer that pauses while any watched consumer group lags more than a bound on any partition of the target topic.
/// In embedded mode this keeps unread data under the mock cluster's 5 MB per-partition cap, which would otherwise drop
/// it silently. The lag is re-measured only when the estimate (last measured lag + records in flight + records sent
/// since) reaches the bound, so the fast path costs a lock and two additions. Owns and disposes the wrapped producer.
/// </summary>
/// <typeparam name="TKey">Key type.</typeparam>
/// <typeparam name="TValue">Value type.</typeparam>
public sealed class BackPressureProducer<TKey, TValue> : IDisposable
{
    private readonly IProducer<TKey, TValue> _producer;
    private readonly ConsumerLagProbe _probe;
    private readonly long _maxLagPerPartition;
    private readonly TimeSpan _pollInterval;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _budget = new(StringComparer.Ordinal);
    private long _inFlight;
    private long _pauses;

    internal BackPressureProducer(IProducer<TKey, TValue> producer, ConsumerLagProbe probe, long maxLagPerPartition, TimeSpan pollInterval, TimeProvider timeProvider)
    {
        _producer = producer;
        _probe = probe;
        _maxLagPerPartition = maxLagPerPartition;
        _pollInterval = pollInterval;
        _timeProvider = timeProvider;
    }

    /// <summary>The wrapped producer (flush, transactions).</summary>
    public IProducer<TKey, TValue> Producer => _producer;

    /// <summary>How many times a send had to wait for consumers to catch up.</summary>
    public long Pauses => Interlocked.Read(ref _pauses);

    /// <summary>Completes when one more record may be sent to <paramref name="topic"/> without exceeding the lag bound.</summary>
    public ValueTask WaitForCapacityAsync(string topic, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_budget.TryGetValue(topic, out var budget) && budget > 0)
            {
                _budget[topic] = budget - 1;
                return ValueTask.CompletedTask;
            }
        }

        return new ValueTask(WaitSlowAsync(topic, cancellationToken));
    }

    /// <summary>Waits for capacity, then produces and awaits the delivery.</summary>
    public async Task<DeliveryResult<TKey, TValue>> ProduceAsync(string topic, Message<TKey, TValue> message, CancellationToken cancellationToken = default)
    {
        await WaitForCapacityAsync(topic, cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _inFlight);
        try
        {
            return await _producer.ProduceAsync(topic, message, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    /// <summary>Waits for capacity, then enqueues the record (retrying while the client's queue is full); <paramref name="deliveryHandler"/> sees its delivery.</summary>
    public async ValueTask EnqueueAsync(string topic, Message<TKey, TValue> message, Action<DeliveryReport<TKey, TValue>>? deliveryHandler = null, CancellationToken cancellationToken = default)
    {
        await WaitForCapacityAsync(topic, cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _inFlight);
        while (true)
        {
            try
            {
                _producer.Produce(topic, message, report =>
                {
                    Interlocked.Decrement(ref _inFlight);
                    deliveryHandler?.Invoke(report);
                });
                return;
            }
            catch (ProduceException<TKey, TValue> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(5), _timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                Interlocked.Decrement(ref _inFlight);
                throw;
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _producer.Dispose();
        _probe.Dispose();
    }

    private async Task WaitSlowAsync(string topic, CancellationToken cancellationToken)
    {
        var paused = false;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();

            // Records not yet acknowledged are invisible in the high watermark but will land: count them as lag.
            var lag = await _probe.MaxPartitionLagAsync(topic).ConfigureAwait(false) + Interlocked.Read(ref _inFlight);
            var budget = _maxLagPerPartition - lag;
            if (budget > 0)
            {
                lock (_gate)
                {
                    _budget[topic] = budget - 1;
                }

                return;
            }

            if (!paused)
            {
                paused = true;
                Interlocked.Increment(ref _pauses);
            }

            await Task.Delay(_pollInterval, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }
}
