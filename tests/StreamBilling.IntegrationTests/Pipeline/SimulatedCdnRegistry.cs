using Microsoft.Extensions.DependencyInjection;
using StreamBilling.Pipeline.Cdn;
using StreamBilling.Simulation;
using StreamBilling.Storage;

namespace StreamBilling.IntegrationTests.Pipeline;

/// <summary>
/// Puts simulated customers' distributions in a host's CDN registry, as an operator loads the registry before usage
/// flows: the cap topology then counts their samples instead of sending them to the late topic as unknown customers.
/// </summary>
internal static class SimulatedCdnRegistry
{
    /// <summary>Writes <paramref name="customers"/>' rows to the host's store and refreshes its copy of the registry (when it has one).</summary>
    public static async Task LoadAsync(IServiceProvider services, IEnumerable<SimulatedCustomer> customers, CancellationToken ct)
    {
        var store = services.GetRequiredService<ICdnDistributionStore>();
        await store.UpsertDistributionsAsync([.. customers.Select(c => new CdnDistribution(c.CustomerId, c.Bucket, c.DistributionId, c.DomainName))], DateTimeOffset.UtcNow, ct);
        if (services.GetService<CdnRegistrySnapshot>() is { } snapshot)
        {
            await snapshot.RefreshAsync(store, ct);
        }
    }
}
