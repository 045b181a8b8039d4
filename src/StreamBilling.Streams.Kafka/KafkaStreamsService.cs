using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StreamBilling.Kafka;

namespace StreamBilling.Streams.Kafka;

/// <summary>
/// Runs one stream application for the host's lifetime. If the application fails (e.g. a truncated changelog or a
/// fenced producer) the service's task faults with the error, which stops the whole host (a billing pipeline must not
/// limp on half-running) and lets the host's entry point exit non-zero, so a supervisor restarts it.
/// </summary>
internal sealed partial class KafkaStreamsService(
    string name,
    Func<Topology> topology,
    Func<KafkaStreamsOptions> options,
    KafkaClientFactory clients,
    ITopicProvisioner provisioner,
    KafkaStreamsRegistry registry,
    ICrashPoints crashPoints,
    ILoggerFactory loggerFactory) : BackgroundService, IAsyncDisposable
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<KafkaStreamsService>();
    private KafkaStreams? _streams;

    /// <summary>Creates the internal topics and starts the stream thread before the next hosted service starts.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            _streams = new KafkaStreams(topology(), clients, provisioner, options(), loggerFactory, crashPoints);
            registry.Add(name, _streams);
            await _streams.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogStartFailed(_logger, e, name);
            throw;
        }

        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_streams is not null)
        {
            await _streams.StopAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Releases the application's state directory (the host disposes its services asynchronously).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_streams is not null)
        {
            await _streams.DisposeAsync().ConfigureAwait(false);
        }

        Dispose();
    }

    /// <summary>Names the component in the host's failure report.</summary>
    public override string ToString() => $"stream application {name}";

    /// <summary>Completes when the application stops with the host; faults when it failed.</summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await _streams!.Completion.WaitAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping; StopAsync stops the application.
        }
        catch (Exception e)
        {
            LogFailed(_logger, e, name);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "Stream application {Name} failed; stopping the host")]
    private static partial void LogFailed(ILogger logger, Exception exception, string name);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Stream application {Name} failed to start")]
    private static partial void LogStartFailed(ILogger logger, Exception exception, string name);
}
