using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StreamBilling.Kafka;

namespace StreamBilling.Streams.Kafka;

/// <summary>
/// Runs one stream application for the host's lifetime. If the application fails (e.g. a truncated changelog or a
/// fenced producer) the whole host stops with the error logged: a billing pipeline must not limp on half-running.
/// </summary>
internal sealed partial class KafkaStreamsService(
    string name,
    Func<Topology> topology,
    Func<KafkaStreamsOptions> options,
    KafkaClientFactory clients,
    ITopicProvisioner provisioner,
    KafkaStreamsRegistry registry,
    IHostApplicationLifetime lifetime,
    ILoggerFactory loggerFactory) : IHostedService, IAsyncDisposable
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<KafkaStreamsService>();
    private KafkaStreams? _streams;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _streams = new KafkaStreams(topology(), clients, provisioner, options(), loggerFactory);
        registry.Add(name, _streams);
        await _streams.StartAsync(cancellationToken).ConfigureAwait(false);
        _ = _streams.Completion.ContinueWith(
            completed =>
            {
                var error = completed.Exception!.GetBaseException();
                LogFailed(_logger, error, name);
                lifetime.StopApplication();
            },
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted,
            TaskScheduler.Default);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_streams is not null)
        {
            await _streams.StopAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_streams is not null)
        {
            await _streams.DisposeAsync().ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "Stream application {Name} failed; stopping the host")]
    private static partial void LogFailed(ILogger logger, Exception exception, string name);
}
