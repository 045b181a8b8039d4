using System.Globalization;
using System.IO.Compression;
using DuckDB.NET.Data;
using Microsoft.Extensions.Time.Testing;
using StreamBilling.Billing;

namespace StreamBilling.Storage.Tests;

/// <summary>
/// Versioned migrations of the DuckDB store: a file written before <c>schema_version</c> existed is recognised as
/// version 1 and upgraded (its rollups kept, under no account), each migration runs once, and a file newer than the code
/// is refused with a message that says so.
/// </summary>
public sealed class StoreMigrationTests : IAsyncDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 15, 0, 0, TimeSpan.Zero);

    private readonly DuckDbTestDatabase _database = new();

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StoreFileFromBeforeVersions_IsUpgradedToTheLatestVersion_WithItsRollupsUnderNoAccount()
    {
        await CopyFixtureAsync("usage-v1.duckdb.gz");

        await using (var store = await OpenAsync())
        {
            // The fixture's three rollups (hand-written there): totals unchanged, seen across accounts, in no customer's account.
            var admin = Assert.Single(await store.WeeklyAsync(new WeeklyUsageQuery(null, "us-east-1#Admin", "Ec2", "2024-W27", "2024-W27"), Ct));
            Assert.Equal((90m, 0.0174m, 2L), (admin.UsageQuantity, admin.Cost, admin.Hours));
            Assert.Equal(["eu-west-1#WebServer", "us-east-1#Admin"], await store.PartitionKeysAsync(null, Ct));
            Assert.Equal(["eu-west-1#WebServer", "us-east-1#Admin"], await store.PartitionKeysAsync(RollupRow.NoAccount, Ct));
            Assert.Empty(await store.PartitionKeysAsync("CUST001", Ct));

            // The other tables came through untouched.
            Assert.Equal(DistributionStatus.Disabled, (await store.GetAsync("CUST001", Ct))?.Status);
            Assert.Equal(12.5m, (await store.GetInvoiceAsync("CUST001", new BillingMonth(2024, 7), Ct))?.Header.TotalAmount);

            // New rows carry their account and sit next to the migrated ones.
            await store.UpsertAsync([Row("CUST001", "2024-07-01T10:00:00Z", minutes: 15, cost: 0.003m)], Ct);
            var own = Assert.Single(await store.WeeklyAsync(new WeeklyUsageQuery("CUST001", "us-east-1#Admin", "Ec2", "2024-W27", "2024-W27"), Ct));
            Assert.Equal((15m, 0.003m, 1L), (own.UsageQuantity, own.Cost, own.Hours));
        }

        Assert.Equal([(1, "initial", Now), (2, "rollups_by_account", Now), (3, "daily_usage", Now), (4, "cur", Now), (5, "cdn_registry", Now)], await SchemaVersionsAsync());
    }

    [Fact]
    public async Task UpgradedStore_ReopenedLater_RunsNoMigrationAgain()
    {
        await CopyFixtureAsync("usage-v1.duckdb.gz");
        await using (await OpenAsync())
        {
        }

        await using (var reopened = await UsageStores.OpenDuckDbAsync(_database.FilePath, new FakeTimeProvider(Now.AddDays(1)), Ct))
        {
            var admin = Assert.Single(await reopened.WeeklyAsync(new WeeklyUsageQuery(null, "us-east-1#Admin", "Ec2", "2024-W27", "2024-W27"), Ct));
            Assert.Equal(2L, admin.Hours);
        }

        Assert.Equal([(1, "initial", Now), (2, "rollups_by_account", Now), (3, "daily_usage", Now), (4, "cur", Now), (5, "cdn_registry", Now)], await SchemaVersionsAsync());
    }

    [Fact]
    public async Task NewStore_IsCreatedAtTheLatestVersion()
    {
        await using (await OpenAsync())
        {
        }

        Assert.Equal([(1, "initial", Now), (2, "rollups_by_account", Now), (3, "daily_usage", Now), (4, "cur", Now), (5, "cdn_registry", Now)], await SchemaVersionsAsync());
    }

    [Fact]
    public async Task StoreNewerThanTheCode_IsRefusedWithAClearMessage_AndLeftAsItIs()
    {
        await using (await OpenAsync())
        {
        }

        var newer = DuckDbMigrations.LatestVersion + 1;
        await ExecuteAsync(string.Create(CultureInfo.InvariantCulture, $"INSERT INTO schema_version VALUES ({newer}, 'from_a_newer_release', TIMESTAMP '2027-01-01 00:00:00')"));

        var refused = await Assert.ThrowsAsync<UsageStoreSchemaException>(OpenAsync);

        Assert.Equal(
            $"The store '{_database.FilePath}' has schema version {newer} (from_a_newer_release), newer than this StreamBilling knows (up to {newer - 1}, {DuckDbMigrations.All[^1].Name}): it was written by a newer StreamBilling. Open it with that version, or point this one at another store file.",
            refused.Message);
        Assert.Equal(newer, (await SchemaVersionsAsync()).Max(v => v.Version));
    }

    [Fact]
    public void Migrations_AreNumberedFromOneWithoutGaps()
    {
        Assert.Equal([(1, "initial"), (2, "rollups_by_account"), (3, "daily_usage"), (4, "cur"), (5, "cdn_registry")], DuckDbMigrations.All.Select(m => (m.Version, m.Name)));
    }

    private Task<IUsageStore> OpenAsync() => UsageStores.OpenDuckDbAsync(_database.FilePath, new FakeTimeProvider(Now), Ct);

    private async Task CopyFixtureAsync(string name)
    {
        await using var source = new GZipStream(File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Fixtures", name)), CompressionMode.Decompress);
        await using var target = File.Create(_database.FilePath);
        await source.CopyToAsync(target, Ct);
    }

    private async Task<List<(int Version, string Name, DateTimeOffset AppliedAt)>> SchemaVersionsAsync()
    {
        await using var connection = new DuckDBConnection($"Data Source={_database.FilePath}");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT version, name, applied_at FROM schema_version ORDER BY version";
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var versions = new List<(int, string, DateTimeOffset)>();
        while (await reader.ReadAsync(Ct))
        {
            versions.Add((reader.GetInt32(0), reader.GetString(1), new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(2), DateTimeKind.Utc))));
        }

        return versions;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new DuckDBConnection($"Data Source={_database.FilePath}");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(Ct);
    }

    private static RollupRow Row(string customer, string hour, decimal minutes, decimal cost) =>
        new(customer, "us-east-1", "Admin", "Ec2", DateTimeOffset.Parse(hour, CultureInfo.InvariantCulture), minutes, "Minutes", cost, "USD", 1, $"{customer}-{hour}");
}
