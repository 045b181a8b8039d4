using StreamBilling.Cli;

namespace StreamBilling.Cur.Tests;

/// <summary><c>streambilling cur …</c> run in-process as a user types it.</summary>
public sealed class CurCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task GenerateListImportAccountsReconcile_V2Parquet_WorkFromTheCommandLine()
    {
        var bucket = _folder.Sub("bucket");
        var db = _folder.Sub("usage.duckdb");

        var generate = await RunAsync("cur", "generate", "--out", bucket, "--version", "v2", "--format", "parquet", "--months", "3", "--rows", "3000", "--seed", "5");
        Assert.Equal(0, generate.ExitCode);
        Assert.Contains("wrote 3,000 current rows", generate.Output, StringComparison.Ordinal);

        var list = await RunAsync("cur", "list-manifests", "--source", bucket, "--export-name", "streambilling-cur", "--version", "v2", "--from", "2024-06", "--to", "2024-07");
        Assert.Equal(0, list.ExitCode);
        var listed = list.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        Assert.Equal(["2024-06", "2024-07"], listed.Select(l => l[..7]));
        Assert.Contains("cur/streambilling-cur/metadata/BILLING_PERIOD=2024-07/streambilling-cur-Manifest.json", listed[1], StringComparison.Ordinal);

        var import = await RunAsync("cur", "import", "--source", bucket, "--export-name", "streambilling-cur", "--version", "v2", "--db", db);
        Assert.Equal(0, import.ExitCode);
        Assert.Contains("2024-05: 1/1 files, 1,000 rows", import.Output, StringComparison.Ordinal);
        Assert.Contains("imported 3 period(s), 3,000 rows", import.Output, StringComparison.Ordinal);

        var accounts = await RunAsync("cur", "accounts", "--map", Path.Combine(bucket, "cur-accounts.csv"), "--db", db);
        Assert.Equal(0, accounts.ExitCode);
        Assert.StartsWith("6 CUR account(s) mapped", accounts.Output, StringComparison.Ordinal);

        var reconcile = await RunAsync("cur", "reconcile", "--month", "2024-07", "--db", db);
        Assert.Equal(0, reconcile.ExitCode);
        Assert.Contains("CUST0001       CDN", reconcile.Output, StringComparison.Ordinal);
        Assert.Contains("CUST0006       EC2", reconcile.Output, StringComparison.Ordinal);
        Assert.Contains("0 unmapped CUR account line(s)", reconcile.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_UnknownCurVersion_ExitsNonZeroNamingIt()
    {
        var result = await RunAsync("cur", "import", "--source", _folder.Path, "--export-name", "x", "--version", "v3", "--db", _folder.Sub("usage.duckdb"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Unknown CUR version 'v3'", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_folder.Sub("usage.duckdb")));
    }

    [Fact]
    public async Task Import_ManifestListingAMissingFile_ExitsNonZeroNamingTheFile()
    {
        var bucket = _folder.Sub("bucket");
        await RunAsync("cur", "generate", "--out", bucket, "--months", "1", "--rows", "100");
        var manifest = Path.Combine(bucket, "cur", "streambilling-cur", "20240501-20240601", "streambilling-cur-Manifest.json");
        var listed = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(manifest, TestContext.Current.CancellationToken)).RootElement.GetProperty("reportKeys")[0].GetString()!;
        File.Delete(Path.Combine(bucket, listed));

        var result = await RunAsync("cur", "import", "--source", bucket, "--export-name", "streambilling-cur", "--db", _folder.Sub("usage.duckdb"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(listed, result.Error, StringComparison.Ordinal);
        Assert.Contains("2024-05 is unchanged", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_NoManifestInTheRange_ExitsNonZeroSayingWhatItLookedFor()
    {
        var bucket = _folder.Sub("bucket");
        await RunAsync("cur", "generate", "--out", bucket, "--months", "1", "--rows", "100");

        var result = await RunAsync("cur", "import", "--source", bucket, "--export-name", "streambilling-cur", "--from", "2025-01", "--db", _folder.Sub("usage.duckdb"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("No CUR v1 manifest of export 'streambilling-cur'", result.Error, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await CliApp.RunAsync(args, output, error, TestContext.Current.CancellationToken);
        return (exitCode, output.ToString(), error.ToString());
    }
}
