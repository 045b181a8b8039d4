using Microsoft.Extensions.Hosting;
using StreamBilling.Contracts;

namespace StreamBilling.Kafka;

/// <summary>Provisions the registered topics before other hosted services start.</summary>
internal sealed class TopicProvisioningService(ITopicProvisioner provisioner, IReadOnlyList<TopicSpec> topics) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => provisioner.EnsureTopicsAsync(topics, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
