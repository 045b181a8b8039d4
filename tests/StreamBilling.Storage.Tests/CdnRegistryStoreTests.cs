namespace StreamBilling.Storage.Tests;

/// <summary>The CDN registry contract, run against each backend by a subclass that supplies an empty database.</summary>
public abstract class CdnRegistryStoreTests(TestDatabase database) : IAsyncDisposable
{
    private static readonly DateTimeOffset Now = new(2024, 8, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly CdnDistribution Web = new("CUST0002", "sb-cdn-cust0002", "E2WEB0000000002", "d2web.cloudfront.net");
    private static readonly CdnDistribution Live = new("CUST0002", "sb-cdn-cust0002-live", "E1LIVE000000002", "d1live.cloudfront.net");
    private static readonly CdnDistribution Other = new("CUST0001", "sb-cdn-cust0001", "E3OTHER00000001", "d3other.cloudfront.net");
    private readonly TestDatabase _database = database;

    public async ValueTask DisposeAsync()
    {
        await _database.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Upsert_AddsRows_ListedByCustomerThenDistribution()
    {
        await using var store = await _database.OpenAsync();

        Assert.Equal(3, await store.UpsertDistributionsAsync([Web, Live, Other], Now, Ct));

        Assert.Equal(
            [new(Other, Now, Now), new(Live, Now, Now), new(Web, Now, Now)],
            await store.ListDistributionsAsync(cancellationToken: Ct));
    }

    [Fact]
    public async Task ListByCustomer_ReturnsOnlyThatCustomersDistributions()
    {
        await using var store = await _database.OpenAsync();
        await store.UpsertDistributionsAsync([Web, Live, Other], Now, Ct);

        Assert.Equal([Live, Web], (await store.ListDistributionsAsync("CUST0002", Ct)).Select(r => r.Distribution));
        Assert.Empty(await store.ListDistributionsAsync("CUST0404", Ct));
    }

    [Fact]
    public async Task FindByDistribution_ReturnsItsRow_OrNull()
    {
        await using var store = await _database.OpenAsync();
        await store.UpsertDistributionsAsync([Web, Other], Now, Ct);

        Assert.Equal(new RegisteredCdnDistribution(Web, Now, Now), await store.FindDistributionAsync(Web.DistributionId, Ct));
        Assert.Null(await store.FindDistributionAsync("E404", Ct));
    }

    [Fact]
    public async Task UpsertOfAKnownDistribution_ReplacesItsFields_AndKeepsItsAddedTime()
    {
        await using var store = await _database.OpenAsync();
        await store.UpsertDistributionsAsync([Web], Now, Ct);
        var moved = Web with { Bucket = "sb-cdn-cust0002-v2", DomainName = "cdn.example.com" };

        await store.UpsertDistributionsAsync([moved], Now.AddHours(1), Ct);

        Assert.Equal(new RegisteredCdnDistribution(moved, Now, Now.AddHours(1)), Assert.Single(await store.ListDistributionsAsync(cancellationToken: Ct)));
    }

    [Fact]
    public async Task UpsertWithADistributionTwice_IsRefused_AndWritesNothing()
    {
        await using var store = await _database.OpenAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => store.UpsertDistributionsAsync([Web, Other, Web with { CustomerId = "CUST0009" }], Now, Ct));

        Assert.Empty(await store.ListDistributionsAsync(cancellationToken: Ct));
    }

    [Fact]
    public async Task StatusChange_KeepsTheDistributionsItApplied()
    {
        await using var store = await _database.OpenAsync();
        var update = new CdnStatusUpdate("CUST0002", Live.DistributionId, DistributionStatus.Disabled, "decision-1", "cap", Now) { Distributions = [Live, Web] };

        var applied = await store.ApplyAsync(update, Ct);

        Assert.Equal([Live, Web], applied.Current!.Distributions);
        Assert.Equal([Live, Web], (await store.GetAsync("CUST0002", Ct))!.Distributions);
    }
}
