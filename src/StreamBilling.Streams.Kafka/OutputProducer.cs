using System.Collections.Concurrent;
using Confluent.Kafka;

namespace StreamBilling.Streams.Kafka;

/// <summary>
/// The thread's one producer: task output (partitioned by key) and changelog records (to the task's partition). Delivery
/// failures are kept and rethrown at the next check, so no commit ever covers output that was not written.
/// </summary>
internal sealed class OutputProducer : IRecordCollector, IChangelogWriter, IDisposable
{
    private readonly IProducer<byte[], byte[]> _producer;
    private readonly ConcurrentQueue<Error> _failures = new();
    private readonly Action<DeliveryReport<byte[], byte[]>> _onDelivery;
    private readonly TimeProvider _time;

    /// <param name="producer">The thread's producer (transactional under exactly-once).</param>
    /// <param name="time">Clock of the acknowledgement timeout.</param>
    public OutputProducer(IProducer<byte[], byte[]> producer, TimeProvider time)
    {
        _producer = producer;
        _time = time;
        _onDelivery = report =>
        {
            if (report.Error.IsError)
            {
                _failures.Enqueue(report.Error);
            }
        };
    }

    public IProducer<byte[], byte[]> Producer => _producer;

    public void Send(in ProducedRecord record)
    {
        var message = new Message<byte[], byte[]>
        {
            Key = record.Key!, // null keys and values (tombstones) pass through the byte-array serde
            Value = record.Value!,
            Timestamp = new Timestamp(record.Timestamp),
            Headers = ToKafka(record.Headers),
        };
        Produce(record.Topic, null, message);
    }

    public void Write(in ChangelogRecord record)
    {
        var message = new Message<byte[], byte[]>
        {
            Key = record.Key!, // null keys and values (tombstones) pass through the byte-array serde
            Value = record.Value!,
            Timestamp = new Timestamp(record.Timestamp == DateTimeOffset.MinValue ? DateTimeOffset.UnixEpoch : record.Timestamp),
        };
        Produce(record.Topic, record.Partition, message);
    }

    /// <summary>Sends a ready-made message (a dead letter) with the task output, so the next commit covers it.</summary>
    public void Send(string topic, Message<byte[], byte[]> message) => Produce(topic, null, message);

    /// <summary>Appends a commit marker to a task's changelog partition.</summary>
    public void WriteMarker(string topic, int partition, CommitMarker marker) => Produce(topic, partition, marker.ToMessage());

    /// <summary>Waits until everything sent so far is acknowledged; throws if anything failed.</summary>
    public void FlushAndCheck(TimeSpan timeout)
    {
        var started = _time.GetTimestamp();
        while (_producer.Flush(TimeSpan.FromMilliseconds(200)) > 0)
        {
            ThrowIfFailed();
            if (_time.GetElapsedTime(started) > timeout)
            {
                throw new KafkaStreamsException($"Output was not acknowledged within {timeout}.");
            }
        }

        ThrowIfFailed();
    }

    public void ThrowIfFailed()
    {
        if (_failures.TryDequeue(out var error))
        {
            throw new KafkaStreamsException($"Producing output failed: {error.Code} {error.Reason}", new KafkaException(error));
        }
    }

    public void Dispose() => _producer.Dispose();

    private void Produce(string topic, int? partition, Message<byte[], byte[]> message)
    {
        while (true)
        {
            try
            {
                if (partition is { } p)
                {
                    _producer.Produce(new TopicPartition(topic, new Partition(p)), message, _onDelivery);
                }
                else
                {
                    _producer.Produce(topic, message, _onDelivery);
                }

                return;
            }
            catch (ProduceException<byte[], byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                // The local queue is a buffer, not a limit on correctness: serve delivery reports and retry.
                _producer.Poll(TimeSpan.FromMilliseconds(20));
                ThrowIfFailed();
            }
        }
    }

    internal static Confluent.Kafka.Headers? ToKafka(Headers? headers)
    {
        if (headers is null || headers.Count == 0)
        {
            return null;
        }

        var result = new Confluent.Kafka.Headers();
        foreach (var header in headers)
        {
            result.Add(header.Key, header.Value);
        }

        return result;
    }
}
