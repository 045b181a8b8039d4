using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using StreamBilling.Contracts;
using StreamBilling.Kafka;

namespace StreamBilling.Streams.Kafka;

/// <summary>
/// Writes the records a task could not deserialize to <c>&lt;topic&gt;.dlq</c>, as read (key, value, timestamp, headers)
/// plus <see cref="DeadLetterHeaders"/>, through the thread's output producer: the commit that moves the offset past a
/// record first has its dead letter acknowledged (at-least-once) or puts both in one transaction (exactly-once).
/// </summary>
internal sealed partial class DeadLetterWriter(OutputProducer output, TimeProvider timeProvider, ILogger logger) : IDeserializationErrorHandler
{
    public void Handle(DeserializationFailure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var record = failure.Record;
        var source = new TopicPartitionOffset(record.Topic, record.Partition, record.Offset);
        var timestamp = new Timestamp(record.Timestamp);
        var message = new Message<byte[], byte[]>
        {
            Key = record.Key!, // null keys and values pass through the byte-array serde
            Value = record.Value!,
            Timestamp = timestamp,
            Headers = DeadLetterHeaders.Build(
                failure.ApplicationId,
                source,
                timestamp,
                OutputProducer.ToKafka(record.Headers),
                failure.Reason,
                failure.Error.GetType().FullName ?? failure.Error.GetType().Name,
                timeProvider.GetUtcNow()),
        };
        output.Send(Topics.DeadLetterName(record.Topic), message);
        LogDeadLettered(logger, failure.ApplicationId, record.Topic, record.Partition, record.Offset, failure.Reason);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Application}: {Topic}/{Partition}/{Offset} cannot be deserialized and goes to the dead-letter topic: {Reason}")]
    private static partial void LogDeadLettered(ILogger logger, string application, string topic, int partition, long offset, string reason);
}
