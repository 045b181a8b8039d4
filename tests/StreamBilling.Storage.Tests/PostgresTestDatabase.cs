namespace StreamBilling.Storage.Tests;

/// <summary>A fresh schema on the test server (<see cref="PostgresTestServer"/>), dropped on dispose.</summary>
public sealed class PostgresTestDatabase : TestDatabase
{
    private string? _server;

    /// <summary>The schema's name, unique per instance.</summary>
    public string Schema { get; } = "test_" + Guid.NewGuid().ToString("N");

    /// <summary>A connection string whose search path is this schema (created on first use).</summary>
    public async Task<string> ConnectionStringAsync()
    {
        if (_server is null)
        {
            var server = await PostgresTestServer.ConnectionStringAsync();
            await PostgresTestServer.ExecuteAsync(server, $"CREATE SCHEMA {Schema}");
            _server = server;
        }

        return PostgresTestServer.InSchema(_server, Schema);
    }

    public override async Task<IUsageStore> OpenAsync() => await UsageStores.OpenPostgresAsync(await ConnectionStringAsync(), TestContext.Current.CancellationToken);

    public override async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await PostgresTestServer.ExecuteAsync(_server, $"DROP SCHEMA {Schema} CASCADE");
        }
    }
}
