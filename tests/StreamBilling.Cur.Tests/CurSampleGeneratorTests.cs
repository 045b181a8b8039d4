using System.IO.Compression;
using StreamBilling.Billing;

namespace StreamBilling.Cur.Tests;

public sealed class CurSampleGeneratorTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Generate_SameSeed_WritesTheSameExport_AnotherSeedAnother()
    {
        var first = await ContentAsync("a", seed: 11);
        var again = await ContentAsync("b", seed: 11);
        var other = await ContentAsync("c", seed: 12);

        Assert.Equal(first.Keys.Order(), again.Keys.Order());
        Assert.All(first, file => Assert.Equal(file.Value, again[file.Key]));
        Assert.NotEqual(first.Values.First(v => v.StartsWith("identity/", StringComparison.Ordinal)), other.Values.First(v => v.StartsWith("identity/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Generate_V1_WritesRealisticLineItems()
    {
        // Two months: the first is written once (the last one twice, as a superseded and a current version).
        await CurSampleGenerator.GenerateAsync(new CurSampleOptions(_folder.Path, CurVersion.V1, new BillingMonth(2024, 1), 2, 10_000, 4), TextWriter.Null, Ct);
        var file = Directory.GetFiles(Path.Combine(_folder.Path, "cur", "streambilling-cur", "20240101-20240201"), "*.csv.gz", SearchOption.AllDirectories).Single();
        var lines = (await DecompressAsync(file)).TrimEnd('\n').Split('\n');
        var header = lines[0].Split(',').ToList();
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        string[] Column(string name) => [.. rows.Select(r => r[header.IndexOf(name)])];

        Assert.Equal(5_000, rows.Count);
        Assert.All(Column("identity/LineItemId"), id => Assert.Matches("^[a-z0-9]{50}$", id));
        Assert.Equal(["Credit", "Discount", "DiscountedUsage", "Fee", "RIFee", "Usage"], Column("lineItem/LineItemType").Distinct().Order());
        Assert.Superset(new HashSet<string> { "AmazonEC2", "AmazonCloudFront", "AmazonS3", "AmazonRDS", "AWSLambda", "AmazonDynamoDB" }, Column("lineItem/ProductCode").ToHashSet());
        Assert.Equal(5, Column("lineItem/AvailabilityZone").Where(z => z.Length > 0).Select(z => z[..^1]).Distinct().Count());
        Assert.Contains(Column("lineItem/ResourceId"), arn => arn.StartsWith("arn:aws:ec2:", StringComparison.Ordinal) && arn.Contains(":instance/i-", StringComparison.Ordinal));
        Assert.Contains(Column("lineItem/ResourceId"), arn => arn.StartsWith("arn:aws:cloudfront::", StringComparison.Ordinal));
        Assert.All(Column("lineItem/UsageStartDate"), d => Assert.Matches(@"^2024-01-\d\dT\d\d:00:00Z$", d));
        Assert.True(rows.Where(r => r[header.IndexOf("lineItem/LineItemType")] == "Credit").All(r => r[header.IndexOf("lineItem/UnblendedCost")].StartsWith('-')));
    }

    /// <summary>Every file of a generated export by its path below the bucket, CSV decompressed.</summary>
    private async Task<Dictionary<string, string>> ContentAsync(string name, int seed)
    {
        var root = _folder.Sub(name);
        await CurSampleGenerator.GenerateAsync(new CurSampleOptions(root, CurVersion.V1, new BillingMonth(2024, 1), 2, 2_000, seed) { RowsPerFile = 600 }, TextWriter.Null, Ct);
        var content = new Dictionary<string, string>();
        foreach (var file in Directory.GetFiles(root, "*", SearchOption.AllDirectories))
        {
            content[Path.GetRelativePath(root, file)] = file.EndsWith(".gz", StringComparison.Ordinal) ? await DecompressAsync(file) : await File.ReadAllTextAsync(file, Ct);
        }

        return content;
    }

    private static async Task<string> DecompressAsync(string path)
    {
        await using var file = File.OpenRead(path);
        await using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        return await reader.ReadToEndAsync(Ct);
    }
}
