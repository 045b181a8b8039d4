using System.Text;
using Confluent.Kafka;
using StreamBilling.Contracts;
using StreamBilling.Events.Outputs;
using StreamBilling.Kafka;

namespace StreamBilling.Api;

/// <summary>
/// <see cref="ICdnStatusPublisher"/> on Kafka: the record the CdnControllerService would write (key customerId, header
/// <c>sb-id</c> = eventId), so the compacted status topic keeps one copy of a re-published change.
/// </summary>
internal sealed class KafkaCdnStatusPublisher(KafkaClientFactory factory, string topic = Topics.CdnStatus) : ICdnStatusPublisher, IDisposable
{
    // One producer for the process, created on the first enable (most hosts never publish from the API).
    private readonly Lazy<IProducer<string, CdnStatusChanged>> _producer = new(() => factory.CreateAvroProducer<CdnStatusChanged>());

    public async Task PublishAsync(CdnStatusChanged change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        var message = new Message<string, CdnStatusChanged>
        {
            Key = change.customerId,
            Value = change,
            Headers = new Headers { { Streams.RecordHeaderNames.Id, Encoding.UTF8.GetBytes(change.eventId) } },
        };
        await _producer.Value.ProduceAsync(topic, message, cancellationToken);
    }

    public void Dispose()
    {
        if (_producer.IsValueCreated)
        {
            _producer.Value.Flush(TimeSpan.FromSeconds(5));
            _producer.Value.Dispose();
        }
    }
}
