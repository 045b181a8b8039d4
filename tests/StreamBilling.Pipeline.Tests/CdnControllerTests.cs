using Microsoft.Extensions.Time.Testing;
using StreamBilling.Events.Outputs;
using StreamBilling.Pipeline.Cdn;
using StreamBilling.Storage;

namespace StreamBilling.Pipeline.Tests;

public sealed class CdnControllerTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(T.At("2024-08-01T10:05:00Z"));
    private IUsageStore _store = null!;
    private CdnController _controller = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _store = await UsageStores.OpenDuckDbAsync(null, Ct);
        await TestCdnRegistry.LoadAsync(_store);
        _controller = new CdnController(_store, _store, _clock);
    }

    public ValueTask DisposeAsync() => _store.DisposeAsync();

    [Fact]
    public async Task ADecision_DisablesTheDistribution_AndSaysWhatToPublish()
    {
        var decision = Decision("d1");

        var change = await _controller.ApplyAsync(decision, Ct);

        Assert.NotNull(change);
        Assert.Equal(
            (CdnController.StatusChangeId("d1"), "c1", "dist-c1", CdnDistributionStatus.Disabled, CdnDistributionStatus.Enabled, "d1", T.Utc("2024-08-01T10:05:00Z")),
            (change.eventId, change.customerId, change.distributionId, change.status, change.previousStatus, change.causeEventId, change.changedAt));
        Assert.Equal("cap 100 GB/15m exceeded: 120 GB in [2024-08-01T10:00Z, 2024-08-01T10:15Z)", change.reason);
        Assert.Equal(DistributionStatus.Disabled, (await _store.GetAsync("c1", Ct))!.Status);
    }

    [Fact]
    public async Task TheSameDecisionRedelivered_GivesTheSameEventAgain_SoALostPublishIsRepaired()
    {
        var first = await _controller.ApplyAsync(Decision("d1"), Ct);
        _clock.Advance(TimeSpan.FromMinutes(3));

        var again = await _controller.ApplyAsync(Decision("d1"), Ct);

        Assert.NotNull(again);
        Assert.Equal((first!.eventId, first.changedAt, first.reason), (again.eventId, again.changedAt, again.reason));
    }

    [Fact]
    public async Task AnotherDecisionWhileDisabled_ChangesNothing()
    {
        await _controller.ApplyAsync(Decision("d1"), Ct);

        Assert.Null(await _controller.ApplyAsync(Decision("d2", limitGb: 500, window: TimeSpan.FromHours(3)), Ct));
        Assert.Equal("d1", (await _store.GetAsync("c1", Ct))!.CauseId);
    }

    [Fact]
    public async Task OperatorEnable_ReEnables_Once()
    {
        await _controller.ApplyAsync(Decision("d1"), Ct);

        var enabled = await _controller.EnableAsync("c1", Ct);
        var repeated = await _controller.EnableAsync("c1", Ct);

        Assert.NotNull(enabled);
        Assert.Equal((CdnDistributionStatus.Enabled, CdnDistributionStatus.Disabled, "operator enable"), (enabled.status, enabled.previousStatus, enabled.reason));
        Assert.Null(repeated);
        Assert.Equal(DistributionStatus.Enabled, (await _store.GetAsync("c1", Ct))!.Status);
    }

    [Fact]
    public async Task OperatorEnable_WithAReason_RecordsIt()
    {
        await _controller.ApplyAsync(Decision("d1"), Ct);

        var enabled = await _controller.EnableAsync("c1", "ticket 42", Ct);

        Assert.Equal("operator enable: ticket 42", enabled!.reason);
        Assert.Equal("operator enable: ticket 42", (await _store.GetAsync("c1", Ct))!.Reason);
    }

    [Fact]
    public async Task CurrentChange_AfterAnEnable_IsTheEnableEventAgain()
    {
        await _controller.ApplyAsync(Decision("d1"), Ct);
        var enabled = await _controller.EnableAsync("c1", Ct);
        _clock.Advance(TimeSpan.FromMinutes(3));

        var current = await _controller.CurrentChangeAsync("c1", Ct);

        Assert.Equal(
            (enabled!.eventId, enabled.status, enabled.previousStatus, enabled.causeEventId, enabled.changedAt, enabled.reason),
            (current!.eventId, current.status, current.previousStatus, current.causeEventId, current.changedAt, current.reason));
    }

    [Fact]
    public async Task CurrentChange_NeverChanged_IsNull() =>
        Assert.Null(await _controller.CurrentChangeAsync("c1", Ct));

    [Fact]
    public async Task EnablingADistributionNeverDisabled_DoesNothing() =>
        Assert.Null(await _controller.EnableAsync("c1", Ct));

    [Fact]
    public async Task AnOldDecisionRedeliveredAfterTheOperatorEnabled_DoesNotDisableAgain()
    {
        await _controller.ApplyAsync(Decision("d1"), Ct);
        await _controller.EnableAsync("c1", Ct);

        Assert.Null(await _controller.ApplyAsync(Decision("d1"), Ct));
        Assert.Equal(DistributionStatus.Enabled, (await _store.GetAsync("c1", Ct))!.Status);
    }

    [Fact]
    public async Task ANewCrossingAfterTheOperatorEnabled_DisablesAgain()
    {
        await _controller.ApplyAsync(Decision("d1"), Ct);
        await _controller.EnableAsync("c1", Ct);

        var change = await _controller.ApplyAsync(Decision("d3"), Ct);

        Assert.Equal((CdnDistributionStatus.Disabled, "d3"), (change!.status, change.causeEventId));
    }

    [Fact]
    public async Task ADecision_DisablesExactlyTheRegistrysDistributions_NotTheOneTheSampleNamed()
    {
        var live = new CdnDistribution("c1", "bucket-c1-live", "E2LIVE00000001", "d2live.cloudfront.net");
        await _store.UpsertDistributionsAsync([live], T.At("2024-08-01T09:00:00Z"), Ct);

        var decision = Decision("d1");
        decision.distributionId = "dist-from-a-sample";

        var change = await _controller.ApplyAsync(decision, Ct);

        // Both of c1's registry rows, by distribution id; c2's row (also in the registry) is untouched.
        Assert.Equal(
            [("E2LIVE00000001", "d2live.cloudfront.net", "bucket-c1-live"), ("dist-c1", "dist-c1.cloudfront.net", "bucket-c1")],
            change!.distributions.Select(d => (d.distributionId, d.domainName, d.bucket)));
        Assert.Equal("E2LIVE00000001", change.distributionId);
        Assert.Equal([live, TestCdnRegistry.Of("c1")], (await _store.GetAsync("c1", Ct))!.Distributions);
        Assert.Null(await _store.GetAsync("c2", Ct));
    }

    [Fact]
    public async Task OperatorEnable_ReEnablesTheDistributionsTheCapDisabled_EvenIfTheRegistryChangedSince()
    {
        await _controller.ApplyAsync(Decision("d1"), Ct);
        await _store.UpsertDistributionsAsync([new CdnDistribution("c1", "bucket-c1-new", "E3NEW000000001", "d3new.cloudfront.net")], T.At("2024-08-01T11:00:00Z"), Ct);

        var enabled = await _controller.EnableAsync("c1", Ct);

        Assert.Equal(["dist-c1"], enabled!.distributions.Select(d => d.distributionId));
    }

    [Fact]
    public async Task ADecisionForACustomerWithoutRegistryRows_IsRecordedAsCapped_NamingNoDistribution()
    {
        var decision = Decision("d1");
        decision.customerId = "unregistered";

        var change = await _controller.ApplyAsync(decision, Ct);

        Assert.Equal((CdnDistributionStatus.Disabled, string.Empty), (change!.status, change.distributionId));
        Assert.Empty(change.distributions);
        Assert.Equal(CdnDistributionNames.None, CdnDistributionNames.Of(change));
    }

    private static CdnCapDecision Decision(string id, long limitGb = 100, TimeSpan? window = null) => new()
    {
        eventId = id,
        source = "test",
        customerId = "c1",
        distributionId = "dist-c1",
        windowStart = T.Utc("2024-08-01T10:00:00Z"),
        windowEnd = T.Utc("2024-08-01T10:00:00Z") + (window ?? TimeSpan.FromMinutes(15)),
        totalBytes = (limitGb + 20) * CdnEvents.Gb,
        limitBytes = limitGb * CdnEvents.Gb,
        decidedAt = T.Utc("2024-08-01T10:04:20Z"),
        sourceEventIds = ["s1"],
    };
}
