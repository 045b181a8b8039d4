using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using StreamBilling.Pipeline.Cdn;
using StreamBilling.Pipeline.Tests;
using StreamBilling.Storage;

namespace StreamBilling.Pipeline.Hosting.Tests;

/// <summary>The cap topology's copy of the CDN registry: loaded when the host starts, then refreshed every interval.</summary>
public sealed class CdnRegistryRefreshServiceTests : IAsyncLifetime
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider _clock = new(T.At("2024-08-01T10:00:00Z"));
    private readonly CdnRegistrySnapshot _snapshot = new();
    private IUsageStore _store = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _store = await UsageStores.OpenDuckDbAsync(null, Ct);

    public ValueTask DisposeAsync() => _store.DisposeAsync();

    [Fact]
    public async Task Start_LoadsTheRegistry_BeforeItReturns()
    {
        await TestCdnRegistry.LoadAsync(_store);
        using var service = new CdnRegistryRefreshService(_snapshot, _store, Interval, _clock, NullLogger<CdnRegistryRefreshService>.Instance);

        await service.StartAsync(Ct);

        Assert.True(_snapshot.IsRegistered("c1"));
        Assert.Equal([TestCdnRegistry.Of("c2")], _snapshot.DistributionsOf("c2"));
        await service.StopAsync(Ct);
    }

    [Fact]
    public async Task ACustomerAddedToTheStore_IsInTheCopyAfterOneInterval_NotBefore()
    {
        using var service = new CdnRegistryRefreshService(_snapshot, _store, Interval, _clock, NullLogger<CdnRegistryRefreshService>.Instance);
        await service.StartAsync(Ct);
        await _store.UpsertDistributionsAsync([TestCdnRegistry.Of("late-joiner")], _clock.GetUtcNow(), Ct);

        _clock.Advance(Interval - TimeSpan.FromSeconds(1));
        Assert.False(_snapshot.IsRegistered("late-joiner"));
        _clock.Advance(TimeSpan.FromSeconds(1));

        // The refresh runs on the service's own task once the timer fires.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(10));
        while (!_snapshot.IsRegistered("late-joiner"))
        {
            await Task.Delay(10, deadline.Token);
        }

        await service.StopAsync(Ct);
    }
}
