using Microsoft.Extensions.Options;

namespace StreamBilling.Host.Demo;

/// <summary>Stops the host once <see cref="DemoOptions.Duration"/> has passed, so the demo ends by itself with exit code 0.</summary>
internal sealed partial class DemoStopService(IOptions<DemoOptions> options, IHostApplicationLifetime lifetime, TimeProvider timeProvider, ILogger<DemoStopService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.Duration is not { } duration || duration <= TimeSpan.Zero)
        {
            return;
        }

        LogWillStop(logger, duration);
        try
        {
            await Task.Delay(duration, timeProvider, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        LogStopping(logger, duration);
        lifetime.StopApplication();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo: the host stops by itself after {Duration} (Demo:Duration or --duration; 0 = run until Ctrl+C)")]
    private static partial void LogWillStop(ILogger logger, TimeSpan duration);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo: {Duration} passed, stopping")]
    private static partial void LogStopping(ILogger logger, TimeSpan duration);
}
