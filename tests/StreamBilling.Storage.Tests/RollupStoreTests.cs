using System.Globalization;

namespace StreamBilling.Storage.Tests;

/// <summary>The store contract, run against each backend by a subclass that supplies an empty database.</summary>
public abstract class RollupStoreTests(TestDatabase database) : IAsyncDisposable
{
    private readonly TestDatabase _database = database;

    public async ValueTask DisposeAsync()
    {
        await _database.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheSameRollupStoredTwice_IsCountedOnce()
    {
        await using var store = await _database.OpenAsync();
        var row = Row("2024-08-01T10:00:00Z", minutes: 60, cost: 0.0104m);

        await store.UpsertAsync([row], Ct);
        await store.UpsertAsync([row], Ct);

        var week = Assert.Single(await store.WeeklyAsync(new WeeklyUsageQuery("CUST001", "us-east-1#Admin", "Ec2", "2024-W31", "2024-W31"), Ct));
        Assert.Equal((60m, 0.0104m, 1L), (week.UsageQuantity, week.Cost, week.Hours));
    }

    [Fact]
    public async Task ANewerVersionOfAnHour_ReplacesTheRow()
    {
        await using var store = await _database.OpenAsync();
        await store.UpsertAsync([Row("2024-08-01T10:00:00Z", minutes: 30, cost: 1m)], Ct);

        await store.UpsertAsync([Row("2024-08-01T10:00:00Z", minutes: 45, cost: 1.5m)], Ct);

        var week = Assert.Single(await store.WeeklyAsync(new WeeklyUsageQuery("CUST001", "us-east-1#Admin", "Ec2", "2024-W31", "2024-W31"), Ct));
        Assert.Equal((45m, 1.5m), (week.UsageQuantity, week.Cost));
    }

    [Fact]
    public async Task OneBatchWithAnHourTwice_KeepsTheLastVersion()
    {
        await using var store = await _database.OpenAsync();

        await store.UpsertAsync([Row("2024-08-01T10:00:00Z", minutes: 30, cost: 1m), Row("2024-08-01T10:00:00Z", minutes: 45, cost: 1.5m)], Ct);

        var week = Assert.Single(await store.WeeklyAsync(new WeeklyUsageQuery("CUST001", "us-east-1#Admin", "Ec2", "2024-W31", "2024-W31"), Ct));
        Assert.Equal((45m, 1.5m, 1L), (week.UsageQuantity, week.Cost, week.Hours));
    }

    [Fact]
    public async Task Weekly_SumsEachIsoWeekInTheRange_OldestFirst()
    {
        await using var store = await _database.OpenAsync();
        await store.UpsertAsync(
            [
                Row("2024-07-22T10:00:00Z", minutes: 60, cost: 1m), // W30
                Row("2024-07-29T10:00:00Z", minutes: 60, cost: 1m), // W31
                Row("2024-08-04T23:00:00Z", minutes: 30, cost: 0.5m), // W31 (Sunday)
                Row("2024-08-05T00:00:00Z", minutes: 15, cost: 0.25m), // W32 (Monday)
                Row("2024-08-12T00:00:00Z", minutes: 15, cost: 0.25m), // W33
            ],
            Ct);

        var weeks = await store.WeeklyAsync(new WeeklyUsageQuery("CUST001", "us-east-1#Admin", "Ec2", "2024-W31", "2024-W32"), Ct);

        Assert.Equal([("2024-W31", 90m, 1.5m), ("2024-W32", 15m, 0.25m)], weeks.Select(w => (w.IsoWeek, w.UsageQuantity, w.Cost)));
    }

    [Fact]
    public async Task Weekly_ForAPeriod_CountsOnlyTheHoursInside()
    {
        await using var store = await _database.OpenAsync();
        await store.UpsertAsync(
            [
                Row("2024-06-30T23:00:00Z", minutes: 60, cost: 1m), // W26, before
                Row("2024-07-01T00:00:00Z", minutes: 60, cost: 1m), // W27
                Row("2024-07-31T23:00:00Z", minutes: 60, cost: 1m), // W31
                Row("2024-08-01T00:00:00Z", minutes: 60, cost: 1m), // W31, after the end
            ],
            Ct);

        var weeks = await store.WeeklyAsync(WeeklyUsageQuery.ForPeriod("CUST001", "us-east-1#Admin", "Ec2", At("2024-07-01T00:00:00Z"), At("2024-08-01T00:00:00Z")), Ct);

        Assert.Equal([("2024-W27", 60m), ("2024-W31", 60m)], weeks.Select(w => (w.IsoWeek, w.UsageQuantity)));
    }

    [Fact]
    public async Task Weekly_KeepsPartitionsAndServicesApart()
    {
        await using var store = await _database.OpenAsync();
        await store.UpsertAsync(
            [
                Row("2024-08-01T10:00:00Z", minutes: 60, cost: 1m),
                Row("2024-08-01T10:00:00Z", minutes: 0, cost: 2m, service: "S3"),
                Row("2024-08-01T10:00:00Z", minutes: 30, cost: 3m, role: "Dev"),
            ],
            Ct);

        var admin = Assert.Single(await store.WeeklyAsync(new WeeklyUsageQuery("CUST001", "us-east-1#Admin", "Ec2", "2024-W31", "2024-W31"), Ct));
        Assert.Equal(("us-east-1", "Admin", 60m, 1m), (admin.Region, admin.Role, admin.UsageQuantity, admin.Cost));
        Assert.Equal(["us-east-1#Admin", "us-east-1#Dev"], await store.PartitionKeysAsync("CUST001", Ct));
    }

    [Fact]
    public async Task Rows_SurviveReopeningTheStore()
    {
        await using (var store = await _database.OpenAsync())
        {
            await store.UpsertAsync([Row("2024-08-01T10:00:00Z", minutes: 60, cost: 0.123456m)], Ct);
        }

        await using var reopened = await _database.OpenAsync();
        var week = Assert.Single(await reopened.WeeklyAsync(new WeeklyUsageQuery("CUST001", "us-east-1#Admin", "Ec2", "2024-W31", "2024-W31"), Ct));
        Assert.Equal(0.123456m, week.Cost);
    }

    private static DateTimeOffset At(string iso) =>
        DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private static RollupRow Row(string hour, decimal minutes, decimal cost, string role = "Admin", string service = "Ec2") =>
        new("CUST001", "us-east-1", role, service, At(hour), minutes, "Minutes", cost, "USD", 1, $"{role}-{service}-{hour}");
}
