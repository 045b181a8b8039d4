using System.Globalization;

namespace StreamBilling.Storage.Tests;

/// <summary>(Each backend runs it through a subclass.) Rollups keyed by account: one account's rows never answer for another, and across accounts they sum.</summary>
public abstract class RollupAccountTests(TestDatabase database) : IAsyncDisposable
{
    private readonly TestDatabase _database = database;

    public async ValueTask DisposeAsync()
    {
        await _database.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TwoAccountsInOneRegionRoleAndHour_AreTwoRows_EachReadOnlyForItsAccount()
    {
        await using var store = await _database.OpenAsync();
        await store.UpsertAsync(
            [
                Row("CUST001", "us-east-1", minutes: 60, cost: 0.0116m),
                Row("CUST002", "us-east-1", minutes: 30, cost: 0.0058m),
                Row("CUST002", "eu-west-1", minutes: 10, cost: 0.002m),
            ],
            Ct);

        var first = Assert.Single(await store.WeeklyAsync(Query("CUST001"), Ct));
        var second = Assert.Single(await store.WeeklyAsync(Query("CUST002"), Ct));

        Assert.Equal((60m, 0.0116m, 1L), (first.UsageQuantity, first.Cost, first.Hours));
        Assert.Equal((30m, 0.0058m, 1L), (second.UsageQuantity, second.Cost, second.Hours));
        Assert.Equal(["us-east-1#Admin"], await store.PartitionKeysAsync("CUST001", Ct));
        Assert.Equal(["eu-west-1#Admin", "us-east-1#Admin"], await store.PartitionKeysAsync("CUST002", Ct));
        Assert.Empty(await store.WeeklyAsync(Query("CUST003"), Ct));
    }

    [Fact]
    public async Task AcrossAccounts_TheWeekSumsEveryAccount()
    {
        await using var store = await _database.OpenAsync();
        await store.UpsertAsync([Row("CUST001", "us-east-1", minutes: 60, cost: 0.0116m), Row("CUST002", "us-east-1", minutes: 30, cost: 0.0058m)], Ct);

        var all = Assert.Single(await store.WeeklyAsync(Query(null), Ct));

        Assert.Equal((90m, 0.0174m, 2L), (all.UsageQuantity, all.Cost, all.Hours));
        Assert.Equal(["us-east-1#Admin"], await store.PartitionKeysAsync(null, Ct));
    }

    [Fact]
    public async Task AnAccountsNewerVersionOfAnHour_ReplacesOnlyThatAccountsRow()
    {
        await using var store = await _database.OpenAsync();
        await store.UpsertAsync([Row("CUST001", "us-east-1", minutes: 60, cost: 1m), Row("CUST002", "us-east-1", minutes: 30, cost: 2m)], Ct);

        await store.UpsertAsync([Row("CUST001", "us-east-1", minutes: 45, cost: 1.5m)], Ct);

        Assert.Equal((45m, 1.5m), Totals(Assert.Single(await store.WeeklyAsync(Query("CUST001"), Ct))));
        Assert.Equal((30m, 2m), Totals(Assert.Single(await store.WeeklyAsync(Query("CUST002"), Ct))));
    }

    private static (decimal, decimal) Totals(WeeklyUsage week) => (week.UsageQuantity, week.Cost);

    private static WeeklyUsageQuery Query(string? customer) => new(customer, "us-east-1#Admin", "Ec2", "2024-W31", "2024-W31");

    private static RollupRow Row(string customer, string region, decimal minutes, decimal cost) =>
        new(customer, region, "Admin", "Ec2", DateTimeOffset.Parse("2024-08-01T10:00:00Z", CultureInfo.InvariantCulture), minutes, "Minutes", cost, "USD", 1, $"{customer}-{region}");
}
