using Confluent.Kafka;
using Microsoft.Extensions.Options;
using StreamBilling.Kafka;
using StreamBilling.Pipeline.Cdn;
using StreamBilling.Simulation;
using StreamBilling.Storage;

namespace StreamBilling.Host.Simulation;

/// <summary>
/// Publishes the usage simulator's events as Avro at the configured rate. Sends wait for every registered
/// <see cref="BackPressureGroup"/>, so consumers in this host are never outrun (the embedded cluster would drop unread data).
/// </summary>
internal sealed partial class UsageSimulatorService(
    KafkaClientFactory clients,
    IOptions<UsageSimulatorOptions> options,
    IEnumerable<BackPressureGroup> backPressureGroups,
    TimeProvider timeProvider,
    IServiceProvider services,
    ILogger<UsageSimulatorService> logger) : BackgroundService
{
    private static readonly TimeSpan FinalFlushTimeout = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (settings.Enabled != true)
        {
            LogDisabled(logger);
            return;
        }

        // Generating and serializing is CPU work: keep it off the thread that starts the host.
        await Task.Yield();
        var simulation = new SimulationOptions
        {
            Customers = settings.Customers,
            Seed = settings.Seed,
            Duration = settings.SimulatedDuration,
            Start = settings.Start?.ToUniversalTime() ?? DefaultStart(settings.SimulatedDuration),
        };
        var simulator = new UsageSimulator(simulation);
        await RegisterCdnDistributionsAsync(simulator.Customers, stoppingToken);
        var groups = backPressureGroups.ToList();
        using var publisher = clients.CreateRecordPublisher(groups);
        LogStarting(logger, simulation.Customers, simulation.Duration, simulation.Start, settings.EventsPerSecond, groups.Count);
        long enqueued = 0;
        var finished = false;
        try
        {
            await foreach (var e in new EventPacer(timeProvider, settings.EventsPerSecond).PaceAsync(simulator.Generate(), stoppingToken))
            {
                await publisher.PublishAsync(e.Topic, e.Key, e.Value, e.Timestamp, stoppingToken);
                enqueued++;
            }

            finished = true;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host shutdown: flush what was sent below.
        }

        try
        {
            using var flushTimeout = new CancellationTokenSource(FinalFlushTimeout);
            publisher.Flush(flushTimeout.Token);
        }
        catch (Exception e) when (e is KafkaException or OperationCanceledException)
        {
            // Lost usage is a failure of the run, not a detail: make the process exit non-zero.
            LogFlushFailed(logger, e, publisher.Failed);
            Environment.ExitCode = 1;
            throw;
        }

        LogStopped(logger, finished ? "all simulated usage published" : "stopped with the host", enqueued, publisher.DeliveredTotal, publisher.Pauses);
    }

    /// <summary>
    /// Puts the simulated customers' distributions in the CDN registry before their first sample, so the cap topology
    /// knows them and the controller has distributions to disable; the host's copy of the registry is refreshed at once
    /// rather than at its next interval. Without a store in this host (no CDN component) there is nothing to register.
    /// </summary>
    private async Task RegisterCdnDistributionsAsync(IReadOnlyList<SimulatedCustomer> customers, CancellationToken cancellationToken)
    {
        if (services.GetService<ICdnDistributionStore>() is not { } registry)
        {
            return;
        }

        var rows = customers.Select(c => c.Distribution).ToList();
        await registry.UpsertDistributionsAsync(rows, timeProvider.GetUtcNow(), cancellationToken);
        if (services.GetService<CdnRegistrySnapshot>() is { } snapshot)
        {
            await snapshot.RefreshAsync(registry, cancellationToken);
        }

        LogRegistered(logger, rows.Count);
    }

    /// <summary>Simulated time ends now (on a whole minute), so a real cluster's time-based retention keeps the records.</summary>
    private DateTimeOffset DefaultStart(TimeSpan duration)
    {
        var now = timeProvider.GetUtcNow();
        return new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero) - duration;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Usage simulator: {Distributions} simulated CDN distributions in the CDN registry")]
    private static partial void LogRegistered(ILogger logger, int distributions);

    [LoggerMessage(Level = LogLevel.Information, Message = "Usage simulator disabled (Simulator:Enabled)")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Usage simulator: {Customers} customers, {Duration} of usage from {Start:u}, {Rate} events/s, waiting for {Groups} consumer group(s)")]
    private static partial void LogStarting(ILogger logger, int customers, TimeSpan duration, DateTimeOffset start, double rate, int groups);

    [LoggerMessage(Level = LogLevel.Information, Message = "Usage simulator {Outcome}: {Enqueued} events sent, {Acknowledged} acknowledged, {Pauses} back-pressure pauses")]
    private static partial void LogStopped(ILogger logger, string outcome, long enqueued, long acknowledged, long pauses);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Usage simulator: {Failed} events were not delivered")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception, long failed);
}
