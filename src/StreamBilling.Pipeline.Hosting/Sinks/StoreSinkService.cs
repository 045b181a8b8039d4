using Avro.Specific;
using Confluent.Kafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StreamBilling.Kafka;
using StreamBilling.Pipeline.Hosting;

namespace StreamBilling.Pipeline.Sinks;

/// <summary>
/// The consumer loop of a store sink (rollups, invoices): reads one topic in batches, writes each batch to the store, and
/// only then commits its offsets. A crash before the commit re-delivers the batch, which the sink's idempotent upsert
/// absorbs. A record the sink cannot store (<see cref="StoreSinkDefinition{TRecord}.Validate"/> gives a reason) goes to
/// the dead-letter topic instead of stopping the loop.
/// </summary>
/// <typeparam name="TRecord">The topic's Avro record.</typeparam>
internal sealed partial class StoreSinkService<TRecord>(
    KafkaClientFactory factory,
    StoreSinkDefinition<TRecord> sink,
    string groupId,
    int maxBatchSize,
    ILogger logger) : BackgroundService, IConsumerLoop
    where TRecord : ISpecificRecord, new()
{
    /// <inheritdoc />
    public string Name => $"{sink.Name} sink";

    /// <summary>Names the component in the host's failure report.</summary>
    public override string ToString() => $"{sink.Name} sink";

    // Consume blocks: the loop gets a thread of its own instead of a pool thread.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => RunAsync(stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        using var consumer = factory.CreateDeadLetteringAvroConsumer<TRecord>(groupId, sink.Validate);
        consumer.Subscribe(sink.Topic);
        var batch = new List<TRecord>(maxBatchSize);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    // Wait for one record, then take whatever is already waiting: small batches when idle, big ones under load.
                    batch.Add(consumer.Consume(stoppingToken).Message.Value);
                    while (batch.Count < maxBatchSize && consumer.Consume(TimeSpan.Zero) is { } next)
                    {
                        batch.Add(next.Message.Value);
                    }
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                catch (ConsumeException e) when (e.Error.IsFatal)
                {
                    LogFatal(logger, sink.Name, e.Error.Code, e.Error.Reason);
                    throw;
                }

                // Not cancelled by shutdown: a batch that was read is stored and committed, so a clean stop leaves nothing to replay.
                await sink.WriteAsync(batch, CancellationToken.None);
                consumer.Commit();
                LogWritten(logger, sink.Name, batch.Count);
                batch.Clear();
            }
        }
        finally
        {
            if (consumer.CloseLeavingGroup() is { } closeFailed)
            {
                LogCloseFailed(logger, sink.Name, closeFailed.Error.Reason);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Sink} sink wrote {Count} records")]
    private static partial void LogWritten(ILogger logger, string sink, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Sink} sink's consumer did not leave its group cleanly ({Reason}); the group notices at the session timeout")]
    private static partial void LogCloseFailed(ILogger logger, string sink, string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "{Sink} sink stops on a fatal Kafka error {Code}: {Reason}")]
    private static partial void LogFatal(ILogger logger, string sink, ErrorCode code, string reason);
}
