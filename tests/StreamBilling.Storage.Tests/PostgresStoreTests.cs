using Npgsql;
using StreamBilling.Billing;

namespace StreamBilling.Storage.Tests;

/// <summary>What only a shared server store has to get right: versioned migrations, and several processes at once.</summary>
public sealed class PostgresStoreTests : IAsyncDisposable
{
    private static readonly DateTimeOffset Now = new(2024, 8, 1, 10, 0, 0, TimeSpan.Zero);
    private readonly PostgresTestDatabase _database = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task AnEmptyDatabase_IsMigratedToTheCurrentVersion()
    {
        await using (await _database.OpenAsync())
        {
        }

        Assert.Equal(
            PostgresMigrations.Known.Select(m => (m.Version, m.Name)),
            await SchemaVersionsAsync());
        Assert.Equal((1, "initial"), (PostgresMigrations.Known[0].Version, PostgresMigrations.Known[0].Name));
    }

    [Fact]
    public async Task OpeningAgain_AppliesNothing()
    {
        await using (await _database.OpenAsync())
        {
        }

        var before = await AppliedAtAsync();
        await using var dataSource = NpgsqlDataSource.Create(await _database.ConnectionStringAsync());

        Assert.Empty(await PostgresMigrations.ApplyAsync(dataSource, Ct));
        Assert.Equal(before, await AppliedAtAsync());
    }

    [Fact]
    public async Task ProcessesStartingTogether_MigrateOnce()
    {
        var connectionString = await _database.ConnectionStringAsync();

        var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => UsageStores.OpenPostgresAsync(connectionString, Ct), Ct)));

        foreach (var store in stores)
        {
            await store.DisposeAsync();
        }

        Assert.Equal(PostgresMigrations.Known.Select(m => (m.Version, m.Name)), await SchemaVersionsAsync());
    }

    [Fact]
    public async Task ADatabaseNewerThanThisBuild_IsRefusedWithTheVersions()
    {
        await using (await _database.OpenAsync())
        {
        }

        var future = PostgresMigrations.CurrentVersion + 1;
        await ExecuteAsync($"INSERT INTO schema_version (version, name, applied_at) VALUES ({future}, 'from_the_future', now())");

        var refused = await Assert.ThrowsAsync<UsageStoreUnavailableException>(_database.OpenAsync);
        Assert.Contains($"schema is at version {future} (from_the_future), newer than this build knows (up to {PostgresMigrations.CurrentVersion})", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnreachableServer_IsNamedWithoutThePassword()
    {
        // Port 1 on loopback: nothing listens there, so the connection is refused at once.
        var refused = await Assert.ThrowsAsync<UsageStoreUnavailableException>(
            () => UsageStores.OpenPostgresAsync("Host=127.0.0.1;Port=1;Database=billing;Username=app;Password=s3cret;Timeout=5", Ct));

        Assert.StartsWith("Cannot open the PostgreSQL store at 127.0.0.1:1/billing: ", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoHosts_ApplyingTheSameCauseAtOnce_ApplyItOnce()
    {
        await using var first = await _database.OpenAsync();
        await using var second = await _database.OpenAsync();

        for (var round = 0; round < 20; round++)
        {
            var customer = $"c{round}";
            var update = new CdnStatusUpdate(customer, "dist-1", DistributionStatus.Disabled, $"decision-{round}", "cap", Now);

            var transitions = await Task.WhenAll(Task.Run(() => first.ApplyAsync(update, Ct), Ct), Task.Run(() => second.ApplyAsync(update, Ct), Ct));

            Assert.Equal([false, true], transitions.Select(t => t.AlreadyApplied).Order());
            Assert.Single(transitions, t => t.Changed);
        }
    }

    [Fact]
    public async Task TwoHosts_DisablingOneCustomerForTwoCausesAtOnce_ChangeItOnce()
    {
        await using var first = await _database.OpenAsync();
        await using var second = await _database.OpenAsync();

        for (var round = 0; round < 20; round++)
        {
            var customer = $"c{round}";
            var transitions = await Task.WhenAll(
                Task.Run(() => first.ApplyAsync(new CdnStatusUpdate(customer, "dist-1", DistributionStatus.Disabled, $"decision-a-{round}", "cap", Now), Ct), Ct),
                Task.Run(() => second.ApplyAsync(new CdnStatusUpdate(customer, "dist-1", DistributionStatus.Disabled, $"decision-b-{round}", "cap", Now), Ct), Ct));

            // Both causes are new; the one applied second sees the first's Disabled as its previous status.
            Assert.All(transitions, t => Assert.False(t.AlreadyApplied));
            Assert.Equal([DistributionStatus.Enabled, DistributionStatus.Disabled], transitions.Select(t => t.Previous).Order());
            Assert.Single(transitions, t => t.Changed);
        }
    }

    [Fact]
    public async Task ConcurrentUpsertsOfOneInvoice_KeepTheHighestRevision()
    {
        await using var first = await _database.OpenAsync();
        await using var second = await _database.OpenAsync();

        // Revisions 1..40 alternating between the two stores, all in flight together, the highest not last.
        var writes = Enumerable.Range(1, 40).OrderBy(r => (r * 17) % 41).Select(revision =>
            Task.Run(() => (revision % 2 == 0 ? first : second).UpsertInvoicesAsync([Invoice(revision)], Ct), Ct));
        await Task.WhenAll(writes);

        Assert.Equal(Invoice(40), await first.GetInvoiceAsync("c1", new BillingMonth(2024, 8), Ct));
    }

    [Fact]
    public async Task TwoHosts_StoringOverlappingRollupBatchesAtOnce_StoreEachRowOnce()
    {
        await using var first = await _database.OpenAsync();
        await using var second = await _database.OpenAsync();
        var hours = Enumerable.Range(0, 200).Select(h => new DateTimeOffset(2024, 8, 1, 0, 0, 0, TimeSpan.Zero).AddHours(h)).ToList();
        RollupRow Row(DateTimeOffset hour) => new("CUST001", "us-east-1", "Admin", "Ec2", hour, 60m, "Minutes", 1m, "USD", 1, $"rollup-{hour:O}");

        // Opposite orders: without a fixed lock order the two statements would deadlock.
        await Task.WhenAll(
            Task.Run(() => first.UpsertAsync([.. hours.Select(Row)], Ct), Ct),
            Task.Run(() => second.UpsertAsync([.. hours.AsEnumerable().Reverse().Select(Row)], Ct), Ct));

        var weeks = await first.WeeklyAsync(WeeklyUsageQuery.ForPeriod("CUST001", "us-east-1#Admin", "Ec2", hours[0], hours[^1].AddHours(1)), Ct);
        Assert.Equal((200L, 200m), (weeks.Sum(w => w.Hours), weeks.Sum(w => w.Cost)));
    }

    private static StoredInvoice Invoice(long revision) =>
        new(
            new InvoiceHeader("c1/2024-08", "c1", new BillingMonth(2024, 8), revision == 40 ? "Final" : "MonthToDate", revision, Now.AddHours(revision), "USD", revision, 0m, revision),
            $"invoice-c1-2024-08-{revision}",
            $$"""{"revision":{{revision}}}""");

    private async Task<List<(int Version, string Name)>> SchemaVersionsAsync()
    {
        await using var connection = new NpgsqlConnection(await _database.ConnectionStringAsync());
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("SELECT version, name FROM schema_version ORDER BY version", connection);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var versions = new List<(int, string)>();
        while (await reader.ReadAsync(Ct))
        {
            versions.Add((reader.GetInt32(0), reader.GetString(1)));
        }

        return versions;
    }

    private async Task<DateTime> AppliedAtAsync()
    {
        await using var connection = new NpgsqlConnection(await _database.ConnectionStringAsync());
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("SELECT max(applied_at) FROM schema_version", connection);
        return (DateTime)(await command.ExecuteScalarAsync(Ct))!;
    }

    private async Task ExecuteAsync(string sql) => await PostgresTestServer.ExecuteAsync(await _database.ConnectionStringAsync(), sql);
}
