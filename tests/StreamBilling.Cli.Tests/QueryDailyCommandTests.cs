using StreamBilling.Storage;

namespace StreamBilling.Cli.Tests;

/// <summary><c>streambilling query daily</c> over a store file the daily usage sink would have filled.</summary>
public sealed class QueryDailyCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("streambilling-daily-").FullName;

    private string Db => Path.Combine(_folder, "usage.duckdb");

    [Fact]
    public async Task Daily_PrintsOneRowPerDay_WithTheCdnFiguresAndTheirReconciliation()
    {
        await using (var store = await UsageStores.OpenDuckDbAsync(Db, TestContext.Current.CancellationToken))
        {
            var july1 = new DateOnly(2024, 7, 1);
            await DailyUsageStores.Of(store).UpsertDailyUsageAsync(
                [
                    new DailyUsageSource("line-1", "CUST0001", "Cdn", DailyUsageFigure.Priced, "GB", "USD", [new DailyUsagePiece(july1, 12.5m, 1.0625m)]),
                    new DailyUsageSource("cw-1", "CUST0001", "Cdn", DailyUsageFigure.Estimate, "GB", string.Empty, [new DailyUsagePiece(july1, 12.4m, null)]),
                ],
                TestContext.Current.CancellationToken);
        }

        var (exitCode, output, error) = await CliRun.RunAsync("query", "daily", "--customer", "CUST0001", "--service", "cdn", "--from", "2024-07-01", "--to", "2024-07-02", "--db", Db);

        Assert.True(exitCode == 0, error);
        var rows = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(3, rows.Length);
        Assert.Equal(["2024-07-01", "12.5", "GB", "1.0625", "Authoritative", "12.4", "1.054", "12.5", "1.0625", "0.0085"], rows[1].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["2024-07-02", "0", "GB", "0", "Estimate", "-", "-", "-", "-", "-"], rows[2].Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Daily_WithAnUnknownService_Exits2()
    {
        var (exitCode, _, error) = await CliRun.RunAsync("query", "daily", "--customer", "CUST0001", "--service", "bandwidth", "--from", "2024-07-01", "--to", "2024-07-02", "--db", Db);

        Assert.Equal(2, exitCode);
        Assert.Contains("Unknown service 'bandwidth'", error, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
