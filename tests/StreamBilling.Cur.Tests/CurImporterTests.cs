using Microsoft.Extensions.Time.Testing;
using StreamBilling.Billing;

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

    [Fact]
    public async Task Reimport_WithANewerManifest_LeavesNoRowOfTheOldVersion()
    {
        var export = await GenerateAsync(CurVersion.V1, CurFileFormat.CsvGzip, rows: 1_500, rowsPerFile: 200);
        var current = PathOf(export.ManifestKeys[^1]);
        var newer = await File.ReadAllTextAsync(current, Ct);

        // The period as AWS first wrote it: the superseded manifest in place of the current one.
        File.Copy(PathOf(export.SupersededManifestKey), current, overwrite: true);
        var first = await ImportAsync(CurVersion.V1, BillingMonthText.Parse("2024-07"), BillingMonthText.Parse("2024-07"));
        Assert.Equal(export.SupersededManifestId, first.Single().Record.ManifestId);
        Assert.Equal(250L, first.Single().Record.RowCount);
        var oldIds = await IdsAsync("2024-07");

        await File.WriteAllTextAsync(current, newer, Ct);
        var second = await ImportAsync(CurVersion.V1, BillingMonthText.Parse("2024-07"), BillingMonthText.Parse("2024-07"));

        Assert.Equal(export.SupersededManifestId, second.Single().ReplacedManifestId);
        Assert.NotEqual(export.SupersededManifestId, second.Single().Record.ManifestId);
        var newIds = await IdsAsync("2024-07");
        Assert.Equal(500, newIds.Count);
        Assert.Empty(newIds.Intersect(oldIds));
        Assert.Equal(500L, await CurStoreReader.ScalarAsync<long>(Db, "SELECT count(*) FROM cur_line_items"));
        var recorded = await CurStoreReader.QueryAsync(Db, "SELECT manifest_id, row_count FROM cur_imports");
        Assert.Equal([second.Single().Record.ManifestId, 500L], Assert.Single(recorded));
    }

    [Fact]
    public async Task Import_ManifestListingAMissingFile_FailsNamingItAndKeepsThePeriod()
    {
        var export = await GenerateAsync(CurVersion.V1, CurFileFormat.CsvGzip, rows: 1_500, rowsPerFile: 200);
        await ImportAsync(CurVersion.V1);
        var before = await SnapshotAsync();
        var missing = ReportKeys(export.ManifestKeys[1])[1];
        File.Delete(PathOf(missing));

        var error = await Assert.ThrowsAsync<CurImportException>(() => ImportAsync(CurVersion.V1));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
        Assert.Contains("2024-06 is unchanged", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Import_CorruptGzip_FailsNamingTheFileAndKeepsThePeriod()
    {
        var export = await GenerateAsync(CurVersion.V2, CurFileFormat.CsvGzip, rows: 1_500, rowsPerFile: 200);
        await ImportAsync(CurVersion.V2);
        var before = await SnapshotAsync();
        var keys = ReportKeys(export.ManifestKeys[2]);
        var corrupt = keys[^1];
        var bytes = await File.ReadAllBytesAsync(PathOf(corrupt), Ct);
        await File.WriteAllBytesAsync(PathOf(corrupt), bytes[..(bytes.Length / 2)], Ct);

        var error = await Assert.ThrowsAsync<CurImportException>(() => ImportAsync(CurVersion.V2));

        Assert.Contains(corrupt, error.Message, StringComparison.Ordinal);
        Assert.Contains("2024-07 is unchanged", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Theory]
    [InlineData("an extra field", ",surplus")]
    [InlineData("a cost that is not a number", null)]
    public async Task Import_CsvWithABadRow_FailsNamingTheFileAndKeepsThePeriod(string what, string? suffix)
    {
        Assert.NotNull(what);
        var export = await GenerateAsync(CurVersion.V1, CurFileFormat.CsvGzip, rows: 1_500, rowsPerFile: 200);
        await ImportAsync(CurVersion.V1);
        var before = await SnapshotAsync();

        // The period's last file: the ones before it are already in the period's transaction when it fails.
        var bad = ReportKeys(export.ManifestKeys[2])[^1];
        var lines = (await ReadGzipLinesAsync(PathOf(bad))).ToList();
        var costColumn = lines[0].Split(',').ToList().IndexOf("lineItem/UnblendedCost");
        var fields = lines[5].Split(',');
        if (suffix is null)
        {
            fields[costColumn] = "12.5USD";
        }

        lines[5] = string.Join(',', fields) + (suffix ?? string.Empty);
        await WriteGzipLinesAsync(PathOf(bad), lines);

        var error = await Assert.ThrowsAsync<CurImportException>(() => ImportAsync(CurVersion.V1));

        Assert.Contains(bad, error.Message, StringComparison.Ordinal);
        Assert.Contains("2024-07 is unchanged", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Import_HandWrittenExport_KeepsExactDecimalsOfAnySizeUtcTimesAndTextIds()
    {
        // A v1 export written by hand: one file, values at the edges of the store's types.
        var folder = await FebruaryExportAsync("tiny", "tiny-1.csv");
        await File.WriteAllTextAsync(Path.Combine(folder, "tiny-1.csv"), """
            identity/LineItemId,lineItem/UsageAccountId,lineItem/UsageStartDate,lineItem/UsageAmount,lineItem/UnblendedCost,resourceTags/user:cost
            first,000123456789,2024-02-03T04:05:06Z,123456789012345678.0000000001,0.0000000001,high
            second,000000000042,2024-02-29T23:00:00+01:00,,-99999999.9999999999,
            """, Ct);

        await ImportAsync("tiny");

        var rows = await CurStoreReader.QueryAsync(Db, """
            SELECT "lineItem/UsageAccountId", "lineItem/UsageStartDate", CAST("lineItem/UsageAmount" AS VARCHAR), CAST("lineItem/UnblendedCost" AS VARCHAR), "resourceTags/user:cost", billing_period, export_name
            FROM cur_line_items ORDER BY "identity/LineItemId"
            """);
        Assert.Equal(["000123456789", new DateTime(2024, 2, 3, 4, 5, 6), "123456789012345678.0000000001", "0.0000000001", "high", "2024-02", "tiny"], rows[0]);
        Assert.Equal(["000000000042", new DateTime(2024, 2, 29, 22, 0, 0), null, "-99999999.9999999999", null, "2024-02", "tiny"], rows[1]);
    }

    [Fact]
    public async Task Import_FilesOfOnePeriodWithOtherColumnsInOtherOrder_LinesEachValueUpByName()
    {
        // The files of a period differ: the second has its columns in another order, a quoted header with a comma and a
        // BOM, CRLF line ends and a column the first lacks. Each value must land in its column; missing ones are null.
        var folder = await FebruaryExportAsync("mixed", "mixed-1.csv", "mixed-2.csv.gz");
        await File.WriteAllTextAsync(Path.Combine(folder, "mixed-1.csv"), "identity/LineItemId,lineItem/UsageAccountId,lineItem/UnblendedCost\nfirst,000000000001,1.5\n", Ct);
        await WriteGzipLinesAsync(
            Path.Combine(folder, "mixed-2.csv.gz"),
            ["\uFEFFlineItem/UnblendedCost,\"resourceTags/user:a,b\",identity/LineItemId,lineItem/UsageAccountId\r", "2.25,\"x,y\",second,000000000002\r"]);

        await ImportAsync("mixed");

        var rows = await CurStoreReader.QueryAsync(Db, """
            SELECT "identity/LineItemId", "lineItem/UsageAccountId", CAST("lineItem/UnblendedCost" AS VARCHAR), "resourceTags/user:a,b"
            FROM cur_line_items ORDER BY "identity/LineItemId"
            """);
        Assert.Equal(["first", "000000000001", "1.5000000000", null], rows[0]);
        Assert.Equal(["second", "000000000002", "2.2500000000", "x,y"], rows[1]);
    }

    [Theory]
    [InlineData("a,b,A", "the column 'A' twice")]
    [InlineData("a,,b", "an empty column name (column 2)")]
    [InlineData("a,\"b", "no header line")]
    [InlineData("\na,b", "starts with an empty line")]
    public async Task Import_CsvWithABrokenHeader_FailsNamingTheFileAndWhatIsWrong(string header, string expected)
    {
        var folder = await FebruaryExportAsync("broken", "broken-1.csv");
        await File.WriteAllTextAsync(Path.Combine(folder, "broken-1.csv"), header + "\n1,2,3\n", Ct);

        var error = await Assert.ThrowsAsync<CurImportException>(() => ImportAsync("broken"));
        Assert.Contains("reports/broken/20240201-20240301/a1/broken-1.csv", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    /// <summary>A hand-written v1 export of February 2024 whose manifest lists <paramref name="files"/>; the folder to write them to.</summary>
    private async Task<string> FebruaryExportAsync(string export, params string[] files)
    {
        var folder = Path.Combine(Bucket, "reports", export, "20240201-20240301");
        Directory.CreateDirectory(Path.Combine(folder, "a1"));
        var keys = string.Join(", ", files.Select(f => $"\"reports/{export}/20240201-20240301/a1/{f}\""));
        await File.WriteAllTextAsync(Path.Combine(folder, $"{export}-Manifest.json"), $$"""
            {"assemblyId": "a1", "billingPeriod": {"start": "20240201T000000.000Z", "end": "20240301T000000.000Z"}, "reportKeys": [{{keys}}]}
            """, Ct);
        return Path.Combine(folder, "a1");
    }

    private async Task ImportAsync(string export)
    {
        await using var store = await CurStore.OpenAsync(Db, _time, Ct);
        await using var source = CurSources.Local(Bucket);
        await new CurImporter(store, source, _time, TextWriter.Null).ImportAsync(export, CurVersion.V1, null, null, Ct);
    }

    private async Task<HashSet<string>> IdsAsync(string period) =>
        [.. (await CurStoreReader.QueryAsync(Db, $"SELECT \"identity/LineItemId\" FROM cur_line_items WHERE billing_period = '{period}'")).Select(r => (string)r[0]!)];

    /// <summary>Per period: the manifest version, rows and cost sum the store holds.</summary>
    private async Task<string> SnapshotAsync()
    {
        var rows = await CurStoreReader.QueryAsync(Db, """
            SELECT i.billing_period, i.manifest_id, i.row_count, (SELECT count(*) FROM cur_line_items l WHERE l.billing_period = i.billing_period),
                   (SELECT sum("lineItem/UnblendedCost") FROM cur_line_items l WHERE l.billing_period = i.billing_period)
            FROM cur_imports i ORDER BY i.billing_period
            """);
        return string.Join("\n", rows.Select(r => string.Join(" ", r)));
    }

    private List<string> ReportKeys(string manifestKey)
    {
        var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(PathOf(manifestKey)));
        var files = json.RootElement.TryGetProperty("reportKeys", out var v1) ? v1 : json.RootElement.GetProperty("dataFiles");
        return [.. files.EnumerateArray().Select(f => f.GetString()!.Replace("s3://streambilling-cur-sample/", string.Empty, StringComparison.Ordinal))];
    }

    private static async Task<string[]> ReadGzipLinesAsync(string path)
    {
        await using var file = File.OpenRead(path);
        await using var gzip = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        return (await reader.ReadToEndAsync(Ct)).TrimEnd('\n').Split('\n');
    }

    private static async Task WriteGzipLinesAsync(string path, IEnumerable<string> lines)
    {
        await using var file = File.Create(path);
        await using var gzip = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionLevel.Fastest);
        await using var writer = new StreamWriter(gzip);
        await writer.WriteAsync(string.Join('\n', lines) + "\n");
    }

    private string PathOf(string key) => Path.Combine(Bucket, key.Replace('/', Path.DirectorySeparatorChar));

    private async Task<CurSampleExport> GenerateAsync(CurVersion version, CurFileFormat format, long rows, int rowsPerFile) =>
        await CurSampleGenerator.GenerateAsync(
            new CurSampleOptions(Bucket, version, new BillingMonth(2024, 5), Months: 3, Rows: rows, Seed: 7) { Format = format, RowsPerFile = rowsPerFile },
            TextWriter.Null,
            Ct);

    private async Task<IReadOnlyList<CurPeriodImport>> ImportAsync(CurVersion version, BillingMonth? from = null, BillingMonth? to = null)
    {
        await using var store = await CurStore.OpenAsync(Db, _time, Ct);
        await using var source = CurSources.Local(Bucket);
        return await new CurImporter(store, source, _time, TextWriter.Null).ImportAsync("streambilling-cur", version, from, to, Ct);
    }
}
