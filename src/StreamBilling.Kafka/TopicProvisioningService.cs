using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StreamBilling.Contracts;

namespace StreamBilling.Kafka;

/// <summary>
/// Provisions the registered topics before other hosted services start; a broker that does not answer yet is retried
/// with back-off for <see cref="KafkaOptions.StartupTimeout"/> (<see cref="StartupRetry"/>).
/// </summary>
internal sealed class TopicProvisioningService(ITopicProvisioner provisioner, IReadOnlyList<TopicSpec> topics, KafkaOptions options, TimeProvider time, ILogger<TopicProvisioningService> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        StartupRetry.RunAsync(
            $"The Kafka cluster ({(options.IsEmbedded ? "embedded" : options.BootstrapServers)})",
            async ct =>
            {
                await provisioner.EnsureTopicsAsync(topics, ct).ConfigureAwait(false);
                return true;
            },
            options.StartupTimeout,
            time,
            logger,
            cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
