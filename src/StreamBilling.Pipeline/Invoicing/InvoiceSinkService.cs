using Confluent.Kafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StreamBilling.Contracts;
using StreamBilling.Events.Outputs;
using StreamBilling.Kafka;

namespace StreamBilling.Pipeline.Invoicing;

/// <summary>
/// The invoice store's consumer loop: reads <see cref="Topics.Invoices"/> in batches, upserts each batch through
/// <see cref="InvoiceSink"/>, and only then commits its offsets. A crash before the commit re-delivers the batch, which the
/// upsert (highest revision per invoiceId wins) absorbs, so a replay never brings back an older version.
/// </summary>
internal sealed partial class InvoiceSinkService(
    KafkaClientFactory factory,
    InvoiceSink sink,
    string groupId,
    int maxBatchSize,
    ILogger<InvoiceSinkService> logger) : BackgroundService
{
    /// <summary>Default consumer group of the sink.</summary>
    public const string DefaultGroupId = "streambilling-invoice-sink";

    private long _written;

    /// <summary>Invoice records written so far (a re-delivered record counts again).</summary>
    public long Written => Interlocked.Read(ref _written);

    // Consume blocks: the loop gets a thread of its own instead of a pool thread.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => RunAsync(stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        using var consumer = factory.CreateDeadLetteringAvroConsumer<Invoice>(groupId, Validate);
        consumer.Subscribe(Topics.Invoices);
        var batch = new List<Invoice>(maxBatchSize);
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
                    LogFatal(logger, e.Error.Code, e.Error.Reason);
                    throw;
                }

                // Not cancelled by shutdown: a batch that was read is stored and committed, so a clean stop leaves nothing to replay.
                await sink.WriteAsync(batch, CancellationToken.None);
                consumer.Commit();
                Interlocked.Add(ref _written, batch.Count);
                LogWritten(logger, batch.Count);
                batch.Clear();
            }
        }
        finally
        {
            consumer.Close();
        }
    }

    /// <summary>An invoice whose id disagrees with its customer and month cannot be stored: it goes to the dead-letter topic.</summary>
    private static string? Validate(Invoice invoice)
    {
        if (string.IsNullOrWhiteSpace(invoice.eventId))
        {
            return "invoice without eventId";
        }

        try
        {
            _ = InvoiceSink.ToStored(invoice);
            return null;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Invoice sink wrote {Count} invoice records")]
    private static partial void LogWritten(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Invoice sink stops on a fatal Kafka error {Code}: {Reason}")]
    private static partial void LogFatal(ILogger logger, ErrorCode code, string reason);
}
