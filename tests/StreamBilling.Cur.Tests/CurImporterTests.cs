using Microsoft.Extensions.Time.Testing;

namespace StreamBilling.Cur.Tests;

public sealed class CurImporterTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly TempFolder _folder = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2024, 8, 3, 9, 0, 0, TimeSpan.Zero));

    private string Bucket => _folder.Sub("bucket");

    private string Db => _folder.Sub("usage.duckdb");

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(CurVersion.V1, CurFileFormat.CsvGzip)]
    [InlineData(CurVersion.V2, CurFileFormat.CsvGzip)]
    [InlineData(CurVersion.V2, CurFileFormat.Parquet)]
    public async Task Import_ThreeMonths_StoresEveryPeriodOnceWithCurNamesTypesAndUnionedColumns(CurVersion version, CurFileFormat format)
    {
        var export = await GenerateAsync(version, format, rows: 3_000, rowsPerFile: 400);

        var imports = await ImportAsync(version);

        Assert.Equal(["2024-05", "2024-06", "2024-07"], imports.Select(i => i.Record.BillingPeriod.ToString()));
        Assert.Equal(3_000L, imports.Sum(i => i.Record.RowCount));
        var perPeriod = await CurStoreReader.QueryAsync(Db, """
            SELECT billing_period, count(*), count(DISTINCT "identity/LineItemId"), min(length("identity/LineItemId")), max(length("identity/LineItemId")),
                   count("resourceTags/user:team"), count("resourceTags/user:cost-center")
            FROM cur_line_items GROUP BY billing_period ORDER BY billing_period
            """);
        Assert.Equal(3, perPeriod.Count);
        Assert.All(perPeriod, p => Assert.Equal(1_000L, p[1]));
        Assert.All(perPeriod, p => Assert.Equal(1_000L, p[2]));
        Assert.All(perPeriod, p => Assert.Equal((50, 50), (Convert.ToInt32(p[3]), Convert.ToInt32(p[4]))));

        // A column the first month lacks is NULL there, present later: union by name.
        Assert.Equal(0L, perPeriod[0][5]);
        Assert.True((long)perPeriod[1][5]! > 0);
        Assert.Equal(0L, perPeriod[1][6]);
        Assert.True((long)perPeriod[2][6]! > 0);

        var types = (await CurStoreReader.QueryAsync(Db, """
            SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'cur_streambilling_cur_2024_07'
            """)).ToDictionary(r => (string)r[0]!, r => (string)r[1]!);
        Assert.Equal("DECIMAL(38,10)", types["lineItem/UnblendedCost"]);
        Assert.Equal("DECIMAL(38,10)", types["lineItem/UsageAmount"]);
        Assert.Equal("TIMESTAMP", types["lineItem/UsageStartDate"]);
        Assert.Equal("TIMESTAMP", types["bill/BillingPeriodStartDate"]);
        Assert.Equal("VARCHAR", types["lineItem/UsageAccountId"]);

        // Timestamps are the UTC instants the files wrote; account ids keep all 12 digits.
        var first = await CurStoreReader.QueryAsync(Db, """
            SELECT min("bill/BillingPeriodStartDate"), min(length("lineItem/UsageAccountId")), count(DISTINCT "lineItem/LineItemType"), count(DISTINCT "lineItem/ProductCode")
            FROM cur_line_items WHERE billing_period = '2024-06'
            """);
        Assert.Equal(new DateTime(2024, 6, 1, 0, 0, 0), first[0][0]);
        Assert.Equal(12, Convert.ToInt32(first[0][1]));
        Assert.Equal(6L, first[0][2]);
        Assert.True((long)first[0][3]! >= 6);
        Assert.Contains(export.AccountIds[0], (await CurStoreReader.QueryAsync(Db, "SELECT DISTINCT \"lineItem/UsageAccountId\" FROM cur_line_items")).Select(r => (string)r[0]!));
    }

    private async Task<CurSampleExport> GenerateAsync(CurVersion version, CurFileFormat format, long rows, int rowsPerFile) =>
        await CurSampleGenerator.GenerateAsync(
            new CurSampleOptions(Bucket, version, new BillingPeriod(2024, 5), Months: 3, Rows: rows, Seed: 7) { Format = format, RowsPerFile = rowsPerFile },
            TextWriter.Null,
            Ct);

    private async Task<IReadOnlyList<CurPeriodImport>> ImportAsync(CurVersion version, BillingPeriod? from = null, BillingPeriod? to = null)
    {
        await using var store = await CurStore.OpenAsync(Db, _time, Ct);
        await using var source = CurSources.Local(Bucket);
        return await new CurImporter(store, source, _time, TextWriter.Null).ImportAsync("streambilling-cur", version, from, to, Ct);
    }
}
