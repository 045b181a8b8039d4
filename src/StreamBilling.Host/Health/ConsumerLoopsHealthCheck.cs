using Microsoft.Extensions.Diagnostics.HealthChecks;
using StreamBilling.Pipeline.Hosting;

namespace StreamBilling.Host.Health;

/// <summary>Ready when every consumer loop of the host (store sinks, CdnController) is running.</summary>
internal sealed class ConsumerLoopsHealthCheck(IEnumerable<IHostedService> hostedServices) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        var notRunning = new List<string>();
        foreach (var loop in hostedServices.OfType<IConsumerLoop>())
        {
            var state = loop.ExecuteTask switch
            {
                null => "not started",
                { IsFaulted: true } task => $"failed: {task.Exception?.GetBaseException().Message}",
                { IsCompleted: true } => "stopped",
                _ => "running",
            };
            data[loop.Name] = state;
            if (state != "running")
            {
                notRunning.Add($"{loop.Name} ({state})");
            }
        }

        return Task.FromResult(notRunning.Count == 0
            ? HealthCheckResult.Healthy($"{data.Count} consumer loops running.", data)
            : HealthCheckResult.Unhealthy($"Not running: {string.Join(", ", notRunning)}.", data: data));
    }
}
