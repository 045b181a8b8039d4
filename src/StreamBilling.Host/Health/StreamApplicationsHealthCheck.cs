using Microsoft.Extensions.Diagnostics.HealthChecks;
using StreamBilling.Streams.Kafka;

namespace StreamBilling.Host.Health;

/// <summary>
/// Ready when every stream application the host runs is processing: started, assigned its partitions and done restoring
/// its stores (<see cref="KafkaStreams.IsProcessing"/>). Not started yet, restoring or failed: unhealthy, with each
/// application's state in the data.
/// </summary>
internal sealed class StreamApplicationsHealthCheck(IServiceProvider services) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (services.GetService<KafkaStreamsRegistry>() is not { } registry || registry.Expected.Count == 0)
        {
            return Task.FromResult(HealthCheckResult.Healthy("This host runs no stream application."));
        }

        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        var notReady = new List<string>();
        foreach (var name in registry.Expected)
        {
            var state = registry.Applications.TryGetValue(name, out var streams) ? StateOf(streams) : "not started";
            data[name] = state;
            if (state != "processing")
            {
                notReady.Add($"{name} ({state})");
            }
        }

        return Task.FromResult(notReady.Count == 0
            ? HealthCheckResult.Healthy($"{data.Count} stream applications processing.", data)
            : HealthCheckResult.Unhealthy($"Not processing: {string.Join(", ", notReady)}.", data: data));
    }

    private static string StateOf(KafkaStreams streams) => streams.State switch
    {
        KafkaStreamsState.Running => streams.IsProcessing ? "processing" : "joining its group or restoring",
        KafkaStreamsState.Failed => $"failed: {streams.Error?.Message}",
        KafkaStreamsState.Created => "not started",
        _ => "stopped",
    };
}
