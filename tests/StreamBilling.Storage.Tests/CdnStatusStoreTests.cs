namespace StreamBilling.Storage.Tests;

/// <summary>The store contract, run against each backend by a subclass that supplies an empty database.</summary>
public abstract class CdnStatusStoreTests(TestDatabase database) : IAsyncDisposable
{
    private static readonly DateTimeOffset Now = new(2024, 8, 1, 10, 0, 0, TimeSpan.Zero);
    private readonly TestDatabase _database = database;

    public async ValueTask DisposeAsync()
    {
        await _database.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ACustomerNeverChanged_HasNoRecord()
    {
        await using var store = await _database.OpenAsync();

        Assert.Null(await store.GetAsync("c1", Ct));
    }

    [Fact]
    public async Task Disabling_StoresTheStatusAndItsCause()
    {
        await using var store = await _database.OpenAsync();

        var transition = await store.ApplyAsync(Update("decision-1", DistributionStatus.Disabled), Ct);

        Assert.True(transition.Changed);
        Assert.Equal(DistributionStatus.Enabled, transition.Previous);
        Assert.Equal(
            new CdnStatusRecord("c1", "dist-1", DistributionStatus.Disabled, Now, "decision-1", "cap"),
            await store.GetAsync("c1", Ct));
    }

    [Fact]
    public async Task TheSameCauseTwice_IsAppliedOnce()
    {
        await using var store = await _database.OpenAsync();
        await store.ApplyAsync(Update("decision-1", DistributionStatus.Disabled), Ct);
        await store.ApplyAsync(Update("enable-1", DistributionStatus.Enabled), Ct);

        var again = await store.ApplyAsync(Update("decision-1", DistributionStatus.Disabled), Ct);

        Assert.True(again.AlreadyApplied);
        Assert.False(again.Changed);
        Assert.Equal(DistributionStatus.Enabled, (await store.GetAsync("c1", Ct))!.Status);
    }

    [Fact]
    public async Task ANewCauseForTheCurrentStatus_ChangesNothing()
    {
        await using var store = await _database.OpenAsync();
        await store.ApplyAsync(Update("decision-1", DistributionStatus.Disabled), Ct);

        var second = await store.ApplyAsync(Update("decision-2", DistributionStatus.Disabled) with { ChangedAt = Now.AddMinutes(5) }, Ct);

        Assert.False(second.AlreadyApplied);
        Assert.False(second.Changed);
        Assert.Equal(("decision-1", Now), ((await store.GetAsync("c1", Ct))!.CauseId, (await store.GetAsync("c1", Ct))!.ChangedAt));
    }

    private static CdnStatusUpdate Update(string cause, DistributionStatus status) =>
        new("c1", "dist-1", status, cause, status == DistributionStatus.Disabled ? "cap" : "operator", Now);
}
