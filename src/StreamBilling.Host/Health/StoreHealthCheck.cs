using Microsoft.Extensions.Diagnostics.HealthChecks;
using StreamBilling.Storage;

namespace StreamBilling.Host.Health;

/// <summary>Ready when the usage store answers a read (a CDN status lookup of an id no customer has).</summary>
internal sealed class StoreHealthCheck(IServiceProvider services) : IHealthCheck
{
    private const string ProbeCustomerId = "health-probe";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (services.GetService<ICdnStatusStore>() is not { } store)
        {
            return HealthCheckResult.Healthy("This host has no store.");
        }

        try
        {
            await store.GetAsync(ProbeCustomerId, cancellationToken);
            return HealthCheckResult.Healthy("The store answers.");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"The store does not answer: {e.Message}", e);
        }
    }
}
