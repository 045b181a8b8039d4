using System.Globalization;
using StreamBilling.Storage;

namespace StreamBilling.Cli.Tests;

/// <summary><c>streambilling query weekly-cost</c> over a store with two accounts in one region, role and hour.</summary>
public sealed class QueryCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("streambilling-query-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Db => Path.Combine(_folder, "usage.duckdb");

    [Fact]
    public async Task WeeklyCost_WithCustomer_ShowsThatAccountsRowsOnly()
    {
        await SeedAsync();

        var (exitCode, output, error) = await CliRun.RunAsync("query", "weekly-cost", "--from", "2024-07-01", "--to", "2024-08-01", "--customer", "CUST001", "--db", Db);

        Assert.True(exitCode == 0, error);
        Assert.Equal(
            [
                "account          region           role             week        usage_minutes           cost",
                "CUST001          us-east-1        Admin            2024-W27               60       0.500000",
            ],
            Lines(output));
        Assert.StartsWith("1 row(s), Ec2 usage of account CUST001 from 2024-07-01", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WeeklyCost_WithoutCustomer_SumsEveryAccount()
    {
        await SeedAsync();

        var (exitCode, output, error) = await CliRun.RunAsync("query", "weekly-cost", "--from", "2024-07-01", "--to", "2024-08-01", "--db", Db);

        Assert.True(exitCode == 0, error);
        Assert.Equal("(all)            us-east-1        Admin            2024-W27               75       0.625000", Lines(output)[1]);
    }

    private async Task SeedAsync()
    {
        static RollupRow Row(string customer, decimal minutes, decimal cost) =>
            new(customer, "us-east-1", "Admin", "Ec2", DateTimeOffset.Parse("2024-07-01T10:00:00Z", CultureInfo.InvariantCulture), minutes, "Minutes", cost, "USD", 1, customer);

        await using var store = await UsageStores.OpenDuckDbAsync(Db, TestContext.Current.CancellationToken);
        await store.UpsertAsync([Row("CUST001", 60m, 0.5m), Row("CUST002", 15m, 0.125m)], TestContext.Current.CancellationToken);
    }

    private static string[] Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
