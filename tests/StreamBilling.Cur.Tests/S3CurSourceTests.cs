using Microsoft.Extensions.Time.Testing;
using StreamBilling.Billing;

namespace StreamBilling.Cur.Tests;

/// <summary>
/// The S3 source's listing, key matching and download logic against an in-memory bucket with S3's paging contract.
/// The calls into the AWS SDK themselves (<c>AmazonS3ObjectStore</c>) are not exercised here: no network, no AWS.
/// </summary>
public sealed class S3CurSourceTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task ListManifests_OverManyPages_FindsOnlyTheExportsManifestsUnderTheLocationsPrefix()
    {
        var bucket = new InMemoryS3ObjectStore("billing", pageSize: 2);
        foreach (var key in new[]
        {
            "cur/daily/20240101-20240201/daily-Manifest.json",
            "cur/daily/20240101-20240201/0b5e/daily-Manifest.json", // the copy beside an assembly's files
            "cur/daily/20240101-20240201/0b5e/daily-00001.csv.gz",
            "cur/daily/20240201-20240301/daily-Manifest.json",
            "cur/daily/20240115-20240215/daily-Manifest.json", // not a billing period
            "cur/daily/metadata/BILLING_PERIOD=2024-03/daily-Manifest.json", // v2
            "cur/daily-eu/20240101-20240201/daily-eu-Manifest.json", // another export
            "cur-old/daily/20240301-20240401/daily-Manifest.json", // another prefix that starts the same
            "archive/daily/20240301-20240401/daily-Manifest.json",
        })
        {
            bucket.Put(key, []);
        }

        await using var source = new S3CurSource(bucket, "billing", "cur/");
        var v1 = await new CurManifestLocator(source, "daily", CurVersion.V1).ListAsync(null, null, Ct);
        var v2 = await new CurManifestLocator(source, "daily", CurVersion.V2).ListAsync(BillingMonthText.Parse("2024-03"), BillingMonthText.Parse("2024-03"), Ct);

        Assert.Equal(["cur/daily/20240101-20240201/daily-Manifest.json", "cur/daily/20240201-20240301/daily-Manifest.json"], v1.Select(m => m.Key));
        Assert.Equal(["2024-01", "2024-02"], v1.Select(m => m.BillingPeriod.ToString()));
        Assert.Equal("cur/daily/metadata/BILLING_PERIOD=2024-03/daily-Manifest.json", Assert.Single(v2).Key);
        Assert.Equal("s3://billing/cur", source.Description);

        // Listed under "cur/" (not "cur", which would also list cur-old/), page after page until no token is left.
        var firstListing = bucket.ListCalls.Take(bucket.ListCalls.Count / 2).ToList();
        Assert.All(bucket.ListCalls, call => Assert.Equal("cur/", call.Prefix));
        Assert.Equal(4, firstListing.Count);
        Assert.Null(firstListing[0].Token);
        Assert.All(firstListing.Skip(1), call => Assert.NotNull(call.Token));
    }

    [Fact]
    public async Task ListManifests_WholeBucket_RefusesAPeriodFoundUnderTwoPrefixes()
    {
        var bucket = new InMemoryS3ObjectStore("billing", pageSize: 100);
        bucket.Put("cur/daily/20240101-20240201/daily-Manifest.json", []);
        bucket.Put("archive/daily/20240101-20240201/daily-Manifest.json", []);
        await using var source = new S3CurSource(bucket, "billing", string.Empty);

        var error = await Assert.ThrowsAsync<CurImportException>(() => new CurManifestLocator(source, "daily", CurVersion.V1).ListAsync(null, null, Ct));

        Assert.Contains("more than one prefix", error.Message, StringComparison.Ordinal);
        Assert.Contains("archive/daily/20240101-20240201/daily-Manifest.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_FromS3_DownloadsOnlyTheListedFilesAndRemovesThemAfterwards()
    {
        var local = _folder.Sub("bucket");
        var export = await CurSampleGenerator.GenerateAsync(
            new CurSampleOptions(local, CurVersion.V2, new BillingMonth(2024, 5), Months: 2, Rows: 1_000, Seed: 9) { RowsPerFile = 300 },
            TextWriter.Null,
            Ct);
        var bucket = new InMemoryS3ObjectStore("streambilling-cur-sample", pageSize: 3);
        foreach (var file in Directory.GetFiles(local, "*", SearchOption.AllDirectories))
        {
            bucket.Put(Path.GetRelativePath(local, file).Replace(Path.DirectorySeparatorChar, '/'), await File.ReadAllBytesAsync(file, Ct));
        }

        var time = new FakeTimeProvider(new DateTimeOffset(2024, 7, 3, 0, 0, 0, TimeSpan.Zero));
        var db = _folder.Sub("usage.duckdb");
        var source = new S3CurSource(bucket, "streambilling-cur-sample", "cur");
        IReadOnlyList<CurPeriodImport> imports;
        await using (var store = await CurStore.OpenAsync(db, time, Ct))
        {
            imports = await new CurImporter(store, source, time, TextWriter.Null).ImportAsync("streambilling-cur", CurVersion.V2, null, null, Ct);
        }

        var downloads = Directory.GetDirectories(Path.GetTempPath(), "streambilling-cur-s3-*").Where(d => Directory.GetFiles(d).Any(f => f.EndsWith(".csv.gz", StringComparison.Ordinal))).ToList();
        await source.DisposeAsync();

        Assert.Equal([500L, 500L], imports.Select(i => i.Record.RowCount));
        Assert.Equal(export.ManifestKeys, imports.Select(i => i.Record.ManifestKey));
        Assert.Equal(1_000L, await CurStoreReader.ScalarAsync<long>(db, "SELECT count(*) FROM cur_line_items"));
        Assert.True(bucket.Disposed);
        Assert.NotEmpty(downloads);
        Assert.All(downloads, d => Assert.False(Directory.Exists(d)));
    }

    [Fact]
    public async Task Import_FromS3_ManifestListingAMissingObject_NamesItsKey()
    {
        var bucket = new InMemoryS3ObjectStore("billing", pageSize: 10);
        bucket.Put("cur/daily/20240101-20240201/daily-Manifest.json", """
            {"assemblyId": "a1", "billingPeriod": {"start": "20240101T000000.000Z", "end": "20240201T000000.000Z"},
             "reportKeys": ["cur/daily/20240101-20240201/a1/daily-00001.csv.gz"]}
            """u8.ToArray());
        var time = new FakeTimeProvider();
        await using var store = await CurStore.OpenAsync(_folder.Sub("usage.duckdb"), time, Ct);
        await using var source = new S3CurSource(bucket, "billing", "cur");

        var error = await Assert.ThrowsAsync<CurImportException>(() => new CurImporter(store, source, time, TextWriter.Null).ImportAsync("daily", CurVersion.V1, null, null, Ct));

        Assert.Contains("'cur/daily/20240101-20240201/a1/daily-00001.csv.gz', which is not in s3://billing/cur", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("s3://billing", "billing", "")]
    [InlineData("s3://billing/", "billing", "")]
    [InlineData("s3://billing/cur/reports/", "billing", "cur/reports")]
    [InlineData("S3://Billing/cur", "Billing", "cur")]
    public void ParseS3_LocationOfBucketAndPrefix_SplitsThem(string location, string bucket, string prefix) =>
        Assert.Equal((bucket, prefix), CurSources.ParseS3(location));

    [Theory]
    [InlineData("s3://")]
    [InlineData("s3:///cur")]
    [InlineData("https://billing.s3.amazonaws.com/cur")]
    public void ParseS3_NoBucket_IsRefused(string location) =>
        Assert.Throws<CurImportException>(() => CurSources.ParseS3(location));
}
