using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StreamBilling.Storage;

namespace StreamBilling.Pipeline.Cdn;

/// <summary>
/// Keeps a <see cref="CdnRegistrySnapshot"/> up to date with the store: loads it when the host starts (before the cap
/// topology, which is registered after this service, reads its first sample), then every <c>interval</c>. A failed
/// refresh keeps the previous copy and is retried at the next tick.
/// </summary>
/// <param name="snapshot">The copy the cap topology reads.</param>
/// <param name="store">The CDN registry.</param>
/// <param name="interval">Time between refreshes: the longest a registry change takes to reach the cap topology.</param>
/// <param name="timeProvider">Clock of the refresh timer.</param>
/// <param name="logger">Logger.</param>
public sealed partial class CdnRegistryRefreshService(
    CdnRegistrySnapshot snapshot,
    ICdnDistributionStore store,
    TimeSpan interval,
    TimeProvider timeProvider,
    ILogger<CdnRegistryRefreshService> logger) : BackgroundService
{
    private PeriodicTimer? _timer;

    /// <inheritdoc />
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Awaited here, not in ExecuteAsync: hosted services start in order, so the cap topology starts with the registry loaded.
        await snapshot.RefreshAsync(store, cancellationToken);
        LogLoaded(logger, snapshot.CustomerCount, interval);

        // Made here, not in ExecuteAsync (which runs on the thread pool): the first refresh is one interval after this
        // load, however late ExecuteAsync's task is scheduled.
        _timer = new PeriodicTimer(interval, timeProvider);
        await base.StartAsync(cancellationToken);
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _timer?.Dispose();
        base.Dispose();
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var timer = _timer ?? throw new InvalidOperationException("ExecuteAsync runs only after StartAsync.");
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await snapshot.RefreshAsync(store, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogRefreshFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host shutdown.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "CDN registry loaded: {Customers} customers; refreshed every {Interval}")]
    private static partial void LogLoaded(ILogger logger, int customers, TimeSpan interval);

    [LoggerMessage(Level = LogLevel.Warning, Message = "CDN registry refresh failed; the cap topology keeps the previous copy")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
