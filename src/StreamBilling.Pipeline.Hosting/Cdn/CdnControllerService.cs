using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StreamBilling.Contracts;
using StreamBilling.Events.Outputs;
using StreamBilling.Kafka;
using StreamBilling.Pipeline.Hosting;

namespace StreamBilling.Pipeline.Cdn;

/// <summary>
/// The CdnController's consumer loop: reads <see cref="Topics.CdnCaps"/>, applies each decision, publishes the resulting
/// <see cref="CdnStatusChanged"/> to <see cref="Topics.CdnStatus"/> (header <c>sb-id</c> = its eventId), then commits.
/// A crash between any two steps re-applies the decision, which the controller answers with the same event.
/// </summary>
/// <param name="factory">Kafka clients.</param>
/// <param name="controller">Decision logic and status store.</param>
/// <param name="logger">Logger.</param>
/// <param name="groupId">Consumer group; <see cref="GroupId"/> unless a deployment or test needs its own.</param>
public sealed partial class CdnControllerService(KafkaClientFactory factory, CdnController controller, ILogger<CdnControllerService> logger, string groupId = CdnControllerService.GroupId)
    : BackgroundService, IConsumerLoop
{
    /// <inheritdoc />
    public string Name => "cdn-controller";

    /// <summary>Default consumer group of the controller.</summary>
    public const string GroupId = "streambilling-cdn-controller";

    private long _applied;

    /// <summary>Decisions applied so far (a re-delivered decision counts again).</summary>
    public long Applied => Interlocked.Read(ref _applied);

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        // Consume blocks: the loop gets a thread of its own instead of a pool thread.
        Task.Factory.StartNew(() => RunAsync(stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        using var consumer = factory.CreateDeadLetteringAvroConsumer<CdnCapDecision>(groupId, Validate);
        using var producer = factory.CreateAvroProducer<CdnStatusChanged>();
        consumer.Subscribe(Topics.CdnCaps);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                ConsumeResult<string, CdnCapDecision> result;
                try
                {
                    result = consumer.Consume(stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                catch (ConsumeException e) when (e.Error.IsFatal)
                {
                    LogFatal(logger, e.Error.Code, e.Error.Reason);
                    throw;
                }

                var change = await controller.ApplyAsync(result.Message.Value, stoppingToken);
                if (change is not null)
                {
                    var message = new Message<string, CdnStatusChanged>
                    {
                        Key = change.customerId,
                        Value = change,
                        Headers = new Confluent.Kafka.Headers { { RecordHeaderNames.Id, Encoding.UTF8.GetBytes(change.eventId) } },
                    };
                    await producer.ProduceAsync(Topics.CdnStatus, message, stoppingToken);
                    LogStatusChanged(logger, change.customerId, CdnDistributionNames.Of(change), change.status, change.reason);
                }

                Interlocked.Increment(ref _applied);
                consumer.Commit();
            }
        }
        finally
        {
            if (consumer.CloseLeavingGroup() is { } closeFailed)
            {
                LogCloseFailed(logger, closeFailed.Error.Reason);
            }
        }
    }

    private static string? Validate(CdnCapDecision decision) =>
        string.IsNullOrWhiteSpace(decision.customerId) || string.IsNullOrWhiteSpace(decision.eventId)
            ? "decision without customerId or eventId"
            : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "CDN of {CustomerId} ({Distributions}) is now {Status}: {Reason}")]
    private static partial void LogStatusChanged(ILogger logger, string customerId, string distributions, CdnDistributionStatus status, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "CdnController's consumer did not leave its group cleanly ({Reason}); the group notices at the session timeout")]
    private static partial void LogCloseFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "CdnController stops on a fatal Kafka error {Code}: {Reason}")]
    private static partial void LogFatal(ILogger logger, ErrorCode code, string reason);
}
