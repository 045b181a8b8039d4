namespace StreamBilling.Storage.Tests;

/// <summary>(Each backend runs it through a subclass.) The daily usage view: records replace their own days by id, reads sum per day, figure, unit and currency.</summary>
public abstract class DailyUsageStoreTests(TestDatabase database) : IAsyncDisposable
{
    private static readonly DateOnly July1 = new(2024, 7, 1);
    private static readonly DateOnly July2 = new(2024, 7, 2);
    private readonly TestDatabase _database = database;

    public async ValueTask DisposeAsync()
    {
        await _database.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Days_SumTheirRecords_PerFigure_WithExactDecimals()
    {
        await using var store = await _database.OpenAsync();
        var daily = DailyUsageStores.Of(store);

        await daily.UpsertDailyUsageAsync(
            [
                Line("line-1", "CUST1", (July1, 12.5m, 1.0625m)),
                Line("line-2", "CUST1", (July1, 0.000000001m, 0.000001m), (July2, 2m, 0.17m)),
                Sample("cw-1", "CUST1", (July1, 4.123456789m)),
                Sample("cw-2", "CUST1", (July1, 8.276543211m)),
            ],
            Ct);

        Assert.Equal(
            [
                new DailyUsageTotal(July1, DailyUsageFigure.Priced, "GB", "USD", 12.500000001m, 1.062501m, 2),
                new DailyUsageTotal(July1, DailyUsageFigure.Estimate, "GB", string.Empty, 12.4m, 0m, 2),
                new DailyUsageTotal(July2, DailyUsageFigure.Priced, "GB", "USD", 2m, 0.17m, 1),
            ],
            (await daily.DailyUsageAsync("CUST1", "Cdn", July1, July2, Ct)).OrderBy(t => t.Day).ThenByDescending(t => t.Figure == DailyUsageFigure.Priced));
    }

    [Fact]
    public async Task ARevisedRecord_ReplacesItsDays_AndAReplayChangesNothing()
    {
        await using var store = await _database.OpenAsync();
        var daily = DailyUsageStores.Of(store);
        await daily.UpsertDailyUsageAsync([Line("line-1", "CUST1", (July1, 10m, 1m), (July2, 10m, 1m))], Ct);

        var revised = Line("line-1", "CUST1", (July1, 3m, 0.3m));
        await daily.UpsertDailyUsageAsync([revised], Ct);
        await daily.UpsertDailyUsageAsync([revised, revised], Ct);

        Assert.Equal(
            [new DailyUsageTotal(July1, DailyUsageFigure.Priced, "GB", "USD", 3m, 0.3m, 1)],
            await daily.DailyUsageAsync("CUST1", "Cdn", July1, July2, Ct));
    }

    [Fact]
    public async Task AWithdrawnRecord_LeavesNoDays()
    {
        await using var store = await _database.OpenAsync();
        var daily = DailyUsageStores.Of(store);
        await daily.UpsertDailyUsageAsync([Line("line-1", "CUST1", (July1, 10m, 1m))], Ct);

        await daily.UpsertDailyUsageAsync([Line("line-1", "CUST1")], Ct);

        Assert.Empty(await daily.DailyUsageAsync("CUST1", "Cdn", July1, July2, Ct));
    }

    [Fact]
    public async Task Reads_AreLimitedToTheCustomerServiceAndDays()
    {
        await using var store = await _database.OpenAsync();
        var daily = DailyUsageStores.Of(store);
        await daily.UpsertDailyUsageAsync(
            [
                Line("a", "CUST1", (July1, 1m, 1m)),
                Line("b", "CUST2", (July1, 2m, 2m)),
                Line("c", "CUST1", (July2, 3m, 3m)),
                Line("d", "CUST1", (July1, 4m, 4m)) with { Service = "S3" },
            ],
            Ct);

        Assert.Equal([1m], (await daily.DailyUsageAsync("CUST1", "Cdn", July1, July1, Ct)).Select(t => t.Quantity));
    }

    [Fact]
    public async Task TheView_SurvivesReopeningTheFile_WithManyRecordsInOneBatch()
    {
        var many = Enumerable.Range(0, 1_000).Select(i => Sample($"cw-{i}", "CUST1", (July1, 0.001m))).ToList();
        await using (var store = await _database.OpenAsync())
        {
            await DailyUsageStores.Of(store).UpsertDailyUsageAsync(many, Ct);
        }

        await using var reopened = await _database.OpenAsync();
        var total = Assert.Single(await DailyUsageStores.Of(reopened).DailyUsageAsync("CUST1", "Cdn", July1, July1, Ct));
        Assert.Equal((1m, 1_000L), (total.Quantity, total.Records));
    }

    private static DailyUsageSource Line(string id, string customer, params (DateOnly Day, decimal Quantity, decimal Cost)[] days) =>
        new(id, customer, "Cdn", DailyUsageFigure.Priced, "GB", "USD", [.. days.Select(d => new DailyUsagePiece(d.Day, d.Quantity, d.Cost))]);

    private static DailyUsageSource Sample(string id, string customer, params (DateOnly Day, decimal Quantity)[] days) =>
        new(id, customer, "Cdn", DailyUsageFigure.Estimate, "GB", string.Empty, [.. days.Select(d => new DailyUsagePiece(d.Day, d.Quantity, null))]);
}
