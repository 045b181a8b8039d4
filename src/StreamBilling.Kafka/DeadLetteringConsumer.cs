using Confluent.Kafka;
using StreamBilling.Contracts;

namespace StreamBilling.Kafka;

/// <summary>
/// A group consumer that hands out only records that deserialize and pass validation. A record that fails either is
/// produced unchanged (raw key, value, headers, timestamp) to <c>&lt;topic&gt;.dlq</c> with <see cref="DeadLetterHeaders"/>,
/// counted, and skipped; if the dead letter cannot be delivered the consumer throws rather than lose the record.
/// Offsets are stored as records are returned or dead-lettered, so <see cref="Commit"/> covers both.
/// </summary>
/// <typeparam name="TKey">Key type.</typeparam>
/// <typeparam name="TValue">Value type.</typeparam>
public sealed class DeadLetteringConsumer<TKey, TValue> : IDisposable
{
    private static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CommitRetryInterval = TimeSpan.FromSeconds(1);
    private readonly IConsumer<byte[], byte[]> _consumer;
    private readonly IDeserializer<TKey> _keyDeserializer;
    private readonly IDeserializer<TValue> _valueDeserializer;
    private readonly Func<TValue, string?>? _validate;
    private readonly IProducer<byte[], byte[]> _deadLetters;
    private readonly KafkaTelemetry _telemetry;
    private readonly TimeProvider _timeProvider;
    private readonly string _groupId;
    private bool _commitOutstanding;

    internal DeadLetteringConsumer(
        string groupId,
        IConsumer<byte[], byte[]> consumer,
        IDeserializer<TKey> keyDeserializer,
        IDeserializer<TValue> valueDeserializer,
        Func<TValue, string?>? validate,
        IProducer<byte[], byte[]> deadLetters,
        KafkaTelemetry telemetry,
        TimeProvider timeProvider)
    {
        _consumer = consumer;
        _keyDeserializer = keyDeserializer;
        _valueDeserializer = valueDeserializer;
        _validate = validate;
        _deadLetters = deadLetters;
        _telemetry = telemetry;
        _timeProvider = timeProvider;
        _groupId = groupId;
    }

    /// <summary>The underlying raw consumer (assignment, positions, pause/resume).</summary>
    public IConsumer<byte[], byte[]> Consumer => _consumer;

    /// <summary>Records sent to dead-letter topics by this consumer.</summary>
    public long DeadLetterCount { get; private set; }

    /// <summary>True while a commit the group refused (it was rebalancing) has not been repeated successfully.</summary>
    public bool CommitOutstanding => _commitOutstanding;

    /// <summary>Subscribes to <paramref name="topics"/>.</summary>
    public void Subscribe(params IEnumerable<string> topics) => _consumer.Subscribe(topics);

    /// <summary>The next good record, or null if none arrived within <paramref name="timeout"/>.</summary>
    public ConsumeResult<TKey, TValue>? Consume(TimeSpan timeout)
    {
        var deadline = _timeProvider.GetTimestamp() + (long)(timeout.TotalSeconds * _timeProvider.TimestampFrequency);
        while (true)
        {
            var remaining = TimeSpan.FromSeconds(Math.Max(0, deadline - _timeProvider.GetTimestamp()) / (double)_timeProvider.TimestampFrequency);
            var raw = _consumer.ConsumeChecked(remaining);
            if (raw is null)
            {
                return null;
            }

            var good = Accept(raw);
            if (good is not null)
            {
                return good;
            }
        }
    }

    /// <summary>
    /// The next good record, blocking until one arrives or <paramref name="cancellationToken"/> fires. While a commit the
    /// group refused is outstanding, it is repeated every second of the wait: call this only once every record returned
    /// so far has been handled (the loop's natural point between batches).
    /// </summary>
    public ConsumeResult<TKey, TValue> Consume(CancellationToken cancellationToken)
    {
        while (true)
        {
            ConsumeResult<byte[], byte[]>? raw;
            if (_commitOutstanding)
            {
                // A cooperative rebalance leaves the partitions that stay with this consumer at their position, so nothing
                // new may ever arrive to trigger the next commit: without the repeat, the group's committed offsets would
                // stay behind what was handled for good (lag that never drains, work redone after the next restart).
                cancellationToken.ThrowIfCancellationRequested();
                raw = _consumer.ConsumeChecked(CommitRetryInterval);
                if (raw is null)
                {
                    Commit();
                    continue;
                }
            }
            else
            {
                raw = _consumer.ConsumeChecked(cancellationToken);
            }

            var good = Accept(raw);
            if (good is not null)
            {
                return good;
            }
        }
    }

    /// <summary>
    /// Commits the offsets of every record returned or dead-lettered so far. False when the group refused the commit
    /// because it was rebalancing: the commit stays outstanding and <see cref="Consume(CancellationToken)"/> repeats it.
    /// </summary>
    public bool Commit()
    {
        try
        {
            _consumer.Commit();
        }
        catch (KafkaException e) when (e.Error.Code == ErrorCode.Local_NoOffset)
        {
            // Nothing consumed since the last commit.
        }
        catch (KafkaException e) when (GroupCommitErrors.IsGroupMovedOn(e.Error))
        {
            // Another instance joined or left the group. Partitions that move are read by their next owner from the last
            // committed offset (the sinks are idempotent); those that stay are committed by the repeat. Nothing is lost,
            // and the loop goes on instead of stopping the host.
            _telemetry.RecordCommitSkipped(_groupId, e.Error.Code.ToString());
            _commitOutstanding = true;
            return false;
        }

        _commitOutstanding = false;
        return true;
    }

    /// <summary>Leaves the group cleanly (revoking partitions) before disposal.</summary>
    public void Close() => _consumer.Close();

    /// <summary>Leaves the group, returning a failed close's error instead of throwing it (see <see cref="KafkaConsumerExtensions.CloseLeavingGroup{TKey, TValue}"/>).</summary>
    public KafkaException? CloseLeavingGroup() => _consumer.CloseLeavingGroup();

    /// <inheritdoc />
    public void Dispose()
    {
        _consumer.Dispose();
        _deadLetters.Dispose();
    }

    private ConsumeResult<TKey, TValue>? Accept(ConsumeResult<byte[], byte[]> raw)
    {
        using var activity = KafkaTelemetry.StartConsume(raw.Topic);
        _telemetry.RecordConsumed(raw.Topic);
        TKey key;
        TValue value;
        try
        {
            key = _keyDeserializer.Deserialize(raw.Message.Key, raw.Message.Key is null, new SerializationContext(MessageComponentType.Key, raw.Topic, raw.Message.Headers));
            value = _valueDeserializer.Deserialize(raw.Message.Value, raw.Message.Value is null, new SerializationContext(MessageComponentType.Value, raw.Topic, raw.Message.Headers));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Any decoding failure (bad magic byte, unknown schema id, truncated Avro) is this record's problem, not the stream's.
            DeadLetter(raw, e.Message, e.GetType().FullName ?? e.GetType().Name);
            return null;
        }

        string? invalid;
        try
        {
            invalid = _validate?.Invoke(value);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            invalid = e.Message;
        }

        if (invalid is not null)
        {
            DeadLetter(raw, invalid, DeadLetterHeaders.ValidationErrorType);
            return null;
        }

        return new ConsumeResult<TKey, TValue>
        {
            TopicPartitionOffset = raw.TopicPartitionOffset,
            Message = new Message<TKey, TValue> { Key = key, Value = value, Timestamp = raw.Message.Timestamp, Headers = raw.Message.Headers },
            IsPartitionEOF = raw.IsPartitionEOF,
            LeaderEpoch = raw.LeaderEpoch,
        };
    }

    private void DeadLetter(ConsumeResult<byte[], byte[]> raw, string error, string errorType)
    {
        var topic = Topics.DeadLetterName(raw.Topic);
        var message = new Message<byte[], byte[]>
        {
            Key = raw.Message.Key,
            Value = raw.Message.Value,
            Timestamp = raw.Message.Timestamp,
            Headers = DeadLetterHeaders.Build(_groupId, raw.TopicPartitionOffset, raw.Message.Timestamp, raw.Message.Headers, error, errorType, _timeProvider.GetUtcNow()),
        };
        DeliveryReport<byte[], byte[]>? report = null;
        _deadLetters.Produce(topic, message, r => report = r);

        // Wait for the acknowledgement: the source offset must not be committed before its dead letter is safe.
        _deadLetters.Flush(DeliveryTimeout);
        if (report is null || report.Error.IsError)
        {
            throw new KafkaException(report?.Error ?? new Error(ErrorCode.Local_TimedOut, $"Dead letter for {raw.TopicPartitionOffset} was not acknowledged within {DeliveryTimeout}"));
        }

        DeadLetterCount++;
        _telemetry.RecordDeadLettered(raw.Topic, errorType == DeadLetterHeaders.ValidationErrorType ? "invalid" : "deserialization");
    }
}
