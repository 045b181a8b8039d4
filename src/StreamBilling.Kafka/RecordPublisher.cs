using System.Collections.Concurrent;
using Avro.Specific;
using Confluent.Kafka;

namespace StreamBilling.Kafka;

/// <summary>
/// Publishes Avro records of any generated class to any topic through one idempotent producer (values serialized by their
/// runtime type, subjects <c>&lt;topic&gt;-value</c>), counting acknowledged records per topic. When consumer groups are
/// watched, sends pause while a group lags too far behind (see <see cref="BackPressureProducer{TKey, TValue}"/>), which keeps
/// the embedded cluster from silently dropping unread data. A failed delivery is never ignored: the next
/// <see cref="PublishAsync"/> or <see cref="Flush"/> throws it.
/// </summary>
public sealed class RecordPublisher : IDisposable
{
    private readonly IProducer<string, ISpecificRecord> _producer;
    private readonly BackPressureProducer<string, ISpecificRecord>? _backPressure;
    private readonly TimeProvider _timeProvider;
    private readonly ConcurrentDictionary<string, TopicCount> _delivered = new(StringComparer.Ordinal);
    private readonly Action<DeliveryReport<string, ISpecificRecord>> _onDelivery;
    private Error? _firstFailure;
    private long _failed;

    internal RecordPublisher(IProducer<string, ISpecificRecord> producer, BackPressureProducer<string, ISpecificRecord>? backPressure, TimeProvider timeProvider)
    {
        _producer = producer;
        _backPressure = backPressure;
        _timeProvider = timeProvider;
        _onDelivery = OnDelivery;
    }

    /// <summary>Records acknowledged by the cluster so far, per topic.</summary>
    public IReadOnlyDictionary<string, long> Delivered => _delivered.ToDictionary(p => p.Key, p => Interlocked.Read(ref p.Value.Count), StringComparer.Ordinal);

    /// <summary>Records acknowledged by the cluster so far, all topics.</summary>
    public long DeliveredTotal => _delivered.Values.Sum(c => Interlocked.Read(ref c.Count));

    /// <summary>Records whose delivery failed.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>How often a send waited for a watched consumer group to catch up (0 without back-pressure).</summary>
    public long Pauses => _backPressure?.Pauses ?? 0;

    /// <summary>
    /// Enqueues one record (waiting for back-pressure capacity, or while the client's send queue is full) with
    /// <paramref name="timestamp"/> as its CreateTime. Completes before the record is acknowledged; see <see cref="Flush"/>.
    /// </summary>
    public async ValueTask PublishAsync(string topic, string key, ISpecificRecord value, DateTimeOffset timestamp, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        ThrowIfFailed();
        var message = new Message<string, ISpecificRecord> { Key = key, Value = value, Timestamp = new Timestamp(timestamp) };
        if (_backPressure is not null)
        {
            await _backPressure.EnqueueAsync(topic, message, _onDelivery, cancellationToken).ConfigureAwait(false);
            return;
        }

        while (true)
        {
            try
            {
                _producer.Produce(topic, message, _onDelivery);
                return;
            }
            catch (ProduceException<string, ISpecificRecord> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                // librdkafka's queue drains as batches are acknowledged; wait a little rather than spin.
                await Task.Delay(TimeSpan.FromMilliseconds(5), _timeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Waits until every enqueued record is acknowledged; throws if any delivery failed.</summary>
    public void Flush(CancellationToken cancellationToken = default)
    {
        _producer.Flush(cancellationToken);
        ThrowIfFailed();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_backPressure is not null)
        {
            _backPressure.Dispose();
        }
        else
        {
            _producer.Dispose();
        }
    }

    private void OnDelivery(DeliveryReport<string, ISpecificRecord> report)
    {
        if (report.Error.IsError)
        {
            Interlocked.Increment(ref _failed);
            Interlocked.CompareExchange(ref _firstFailure, report.Error, null);
            return;
        }

        Interlocked.Increment(ref _delivered.GetOrAdd(report.Topic, _ => new TopicCount()).Count);
    }

    private void ThrowIfFailed()
    {
        if (Volatile.Read(ref _firstFailure) is { } error)
        {
            throw new KafkaException(new Error(error.Code, $"{Failed} record(s) were not delivered; first error: {error.Reason}"));
        }
    }

    /// <summary>A per-topic count updated with Interlocked from the delivery thread.</summary>
    private sealed class TopicCount
    {
        public long Count;
    }
}
