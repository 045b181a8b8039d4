using Microsoft.Extensions.Time.Testing;
using StreamBilling.Billing;
using StreamBilling.Storage;

namespace StreamBilling.Cur.Tests;

public sealed class CurReconciliationTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly TempFolder _folder = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2024, 8, 3, 9, 0, 0, TimeSpan.Zero));

    private string Db => _folder.Sub("usage.duckdb");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Compare_PricedFiguresOfTheStore_ShowsEachCustomersDifferencePerService()
    {
        var export = await CurSampleGenerator.GenerateAsync(
            new CurSampleOptions(_folder.Sub("bucket"), CurVersion.V1, new BillingMonth(2024, 6), Months: 2, Rows: 4_000, Seed: 3) { Accounts = 3 },
            TextWriter.Null,
            Ct);
        await using (var store = await CurStore.OpenAsync(Db, _time, Ct))
        {
            await using var source = CurSources.Local(_folder.Sub("bucket"));
            await new CurImporter(store, source, _time, TextWriter.Null).ImportAsync("streambilling-cur", CurVersion.V1, null, null, Ct);

            // The generator's map: account 1 → CUST0001, 2 → CUST0002; the third account stays unmapped.
            var map = _folder.Sub("map.csv");
            await File.WriteAllLinesAsync(map, [.. File.ReadAllLines(export.AccountMapPath).Take(3)], Ct);
            Assert.Equal(2, await store.ReplaceAccountMapAsync(map, Ct));
        }

        var ec2 = await CurCostAsync(export.AccountIds[0], "AmazonEC2");
        var cdn = await CurCostAsync(export.AccountIds[0], "AmazonCloudFront");
        var unmappedEc2 = await CurCostAsync(export.AccountIds[2], "AmazonEC2");
        await using (var usage = await UsageStores.OpenDuckDbAsync(Db, _time, Ct))
        {
            // CUST0001's EC2 priced exactly as AWS billed it, its CDN 1.25 short, split over two days (one in July, one
            // outside it: June's figure must not count); CUST0099 has CDN cost and no CUR account.
            await DailyUsageStores.Of(usage).UpsertDailyUsageAsync(
                [
                    Priced("ec2-1", "CUST0001", "Ec2", new DateOnly(2024, 7, 10), Math.Round(ec2, 6)),
                    Priced("cdn-1", "CUST0001", "Cdn", new DateOnly(2024, 7, 2), Math.Round(cdn - 1.25m, 6) - 10m),
                    Priced("cdn-2", "CUST0001", "Cdn", new DateOnly(2024, 7, 31), 10m),
                    Priced("cdn-june", "CUST0001", "Cdn", new DateOnly(2024, 6, 30), 99m),
                    Priced("cdn-9", "CUST0099", "Cdn", new DateOnly(2024, 7, 15), 5m),
                ],
                Ct);
        }

        IReadOnlyList<CurReconciliationLine> lines;
        await using (var store = await CurStore.OpenAsync(Db, _time, Ct))
        {
            lines = await CurReconciliation.CompareAsync(store, BillingMonthText.Parse("2024-07"), Ct);
        }

        var cust1Ec2 = lines.Single(l => l.CustomerId == "CUST0001" && l.Service == "EC2");
        Assert.Equal(export.AccountIds[0], cust1Ec2.CurAccounts);
        Assert.Equal(ec2, cust1Ec2.CurCost);
        Assert.True(Math.Abs(cust1Ec2.Difference) < 0.000001m);
        var cust1Cdn = lines.Single(l => l.CustomerId == "CUST0001" && l.Service == "CDN");
        Assert.Equal(1.25m, Math.Round(cust1Cdn.Difference, 6));
        var pipelineOnly = lines.Single(l => l.CustomerId == "CUST0099");
        Assert.Equal(("CDN", 0m, 5m, -5m, string.Empty), (pipelineOnly.Service, pipelineOnly.CurCost, pipelineOnly.PipelineCost, pipelineOnly.Difference, pipelineOnly.CurAccounts));
        var unmapped = lines.Single(l => l.CustomerId is null && l.CurAccounts == export.AccountIds[2] && l.Service == "EC2");
        Assert.Equal((unmappedEc2, 0m), (unmapped.CurCost, unmapped.PipelineCost));
        Assert.True(ec2 > 0 && cdn > 0 && unmappedEc2 > 0);
    }

    [Fact]
    public async Task Compare_MonthNotImported_FailsWithAClearMessage()
    {
        await using var store = await CurStore.OpenAsync(Db, _time, Ct);

        var error = await Assert.ThrowsAsync<CurImportException>(() => CurReconciliation.CompareAsync(store, BillingMonthText.Parse("2024-07"), Ct));

        Assert.Contains("no CUR data for 2024-07", error.Message, StringComparison.Ordinal);
    }

    private async Task<decimal> CurCostAsync(string account, string productCode) =>
        await CurStoreReader.ScalarAsync<decimal>(Db, $"""
            SELECT sum("lineItem/UnblendedCost") FROM cur_line_items
            WHERE billing_period = '2024-07' AND "lineItem/UsageAccountId" = '{account}' AND "lineItem/ProductCode" = '{productCode}'
              AND "lineItem/LineItemType" IN ('Usage', 'DiscountedUsage', 'RIFee')
            """);

    private static DailyUsageSource Priced(string id, string customer, string service, DateOnly day, decimal cost) =>
        new(id, customer, service, DailyUsageFigure.Priced, "GB", "USD", [new DailyUsagePiece(day, 1m, cost)]);
}
