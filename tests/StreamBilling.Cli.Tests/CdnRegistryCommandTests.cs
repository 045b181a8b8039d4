using StreamBilling.Storage;

namespace StreamBilling.Cli.Tests;

/// <summary><c>streambilling cdn registry load|list|sample</c> as processes of their own on a DuckDB store.</summary>
public sealed class CdnRegistryCommandTests
{
    private const string Json = """
        {
          "distributions": [
            {"customerId": "CUST0001", "bucket": "sb-cdn-cust0001", "distributionId": "E1AAAAAAAAAAAA", "domainName": "d1aaaa.cloudfront.net"},
            {"customerId": "CUST0002", "bucket": "sb-cdn-cust0002", "distributionId": "E2BBBBBBBBBBBB", "domainName": "d2bbbb.cloudfront.net"}
          ]
        }
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task LoadJsonThenCsv_ListsEveryRow_AndStatusNamesTheRegistrysDistributions()
    {
        using var work = new TempFolder()
            .With("registry.json", Json)
            .With("more.csv", "customer_id,bucket,distribution_id,domain_name\nCUST0002,sb-cdn-cust0002-live,E2CCCCCCCCCCCC,live.example.com\n");
        var db = work.Sub("usage.duckdb");

        var json = await CliProcess.RunAsync(work.Path, "cdn", "registry", "load", "--file", "registry.json", "--db", db);
        var csv = await CliProcess.RunAsync(work.Path, "cdn", "registry", "load", "--file", "more.csv", "--db", db);
        var list = await CliProcess.RunAsync(work.Path, "cdn", "registry", "list", "--customer", "CUST0002", "--db", db);
        var status = await CliProcess.RunAsync(work.Path, "cdn", "status", "CUST0002", "--db", db);

        Assert.True((json.ExitCode, csv.ExitCode, list.ExitCode, status.ExitCode) == (0, 0, 0, 0), json.Output + csv.Output + list.Output + status.Output);
        Assert.Equal("loaded 2 distributions of 2 customers from registry.json", json.StandardOutput.Trim());
        Assert.Equal(
            ["CUST0002\tsb-cdn-cust0002\tE2BBBBBBBBBBBB\td2bbbb.cloudfront.net", "CUST0002\tsb-cdn-cust0002-live\tE2CCCCCCCCCCCC\tlive.example.com"],
            list.StandardOutput.Split('\n').Where(l => l.StartsWith("CUST", StringComparison.Ordinal)).Select(l => string.Join('\t', l.Split('\t')[..4])));
        Assert.Contains("2 distributions", list.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(
            "CUST0002: Enabled (never changed; distributions E2BBBBBBBBBBBB (d2bbbb.cloudfront.net), E2CCCCCCCCCCCC (live.example.com))",
            status.StandardOutput.Trim());
    }

    [Fact]
    public async Task LoadWithABadRow_ExitsNonZero_NamingTheLine_AndLoadsNothingOfTheFile()
    {
        using var work = new TempFolder()
            .With("registry.json", Json)
            .With("bad.csv", "customer_id,bucket,distribution_id,domain_name\nCUST0003,sb-cdn-cust0003,E3DDDDDDDDDDDD,d3.cloudfront.net\nCUST0004,sb-cdn-cust0004,,d4.cloudfront.net\n");
        var db = work.Sub("usage.duckdb");
        await CliProcess.RunAsync(work.Path, "cdn", "registry", "load", "--file", "registry.json", "--db", db);

        var bad = await CliProcess.RunAsync(work.Path, "cdn", "registry", "load", "--file", "bad.csv", "--db", db);

        Assert.Equal(1, bad.ExitCode);
        Assert.Equal("Nothing loaded: bad.csv:3: distributionId is missing.", bad.StandardError.Trim());
        Assert.Empty(bad.StandardOutput);
        await using var store = await UsageStores.OpenDuckDbAsync(db, Ct);
        Assert.Equal(["E1AAAAAAAAAAAA", "E2BBBBBBBBBBBB"], (await store.ListDistributionsAsync(cancellationToken: Ct)).Select(r => r.Distribution.DistributionId));
    }

    [Theory]
    [InlineData("dup.json", """{"distributions": [{"customerId": "A", "bucket": "b", "distributionId": "E1", "domainName": "d"},""" + "\n" + """{"customerId": "B", "bucket": "b", "distributionId": "E1", "domainName": "d"}]}""", "dup.json:2: distribution 'E1' is already on line 1 (a distribution belongs to one customer).")]
    [InlineData("typo.json", """{"distributions": [{"customer": "A", "bucket": "b", "distributionId": "E1", "domainName": "d"}]}""", "typo.json:1: The JSON property 'customer' could not be mapped to any .NET member contained in type 'StreamBilling.Storage.CdnDistribution'.")]
    [InlineData("short.csv", "customer_id,bucket,distribution_id,domain_name\nA,b,E1\n", "short.csv:2: 3 fields, expected 4 (customer_id,bucket,distribution_id,domain_name); fields cannot contain commas or quotes.")]
    [InlineData("registry.txt", "whatever", "registry.txt: a registry file is .json or .csv.")]
    public async Task LoadOfABadFile_ExitsNonZero_WithTheReason(string name, string content, string error)
    {
        using var work = new TempFolder().With(name, content);

        var result = await CliProcess.RunAsync(work.Path, "cdn", "registry", "load", "--file", name, "--db", work.Sub("usage.duckdb"));

        Assert.Equal((1, "Nothing loaded: " + error), (result.ExitCode, result.StandardError.Trim()));
    }

    [Fact]
    public async Task Sample_WritesTheSimulatedCustomersRegistry_ThatLoads()
    {
        using var work = new TempFolder();

        var sample = await CliProcess.RunAsync(work.Path, "cdn", "registry", "sample", "--customers", "3", "--seed", "7", "--out", "sim.json");
        var load = await CliProcess.RunAsync(work.Path, "cdn", "registry", "load", "--file", "sim.json", "--db", work.Sub("usage.duckdb"));

        Assert.True((sample.ExitCode, load.ExitCode) == (0, 0), sample.Output + load.Output);
        var rows = CdnRegistryFile.Read(work.Sub("sim.json"));
        Assert.Equal(["CUST0001", "CUST0002", "CUST0003"], rows.Select(r => r.CustomerId));
        Assert.All(rows, r => Assert.Matches("^E[A-Z0-9]{13}$", r.DistributionId));
        Assert.Equal("loaded 3 distributions of 3 customers from sim.json", load.StandardOutput.Trim());
    }
}
