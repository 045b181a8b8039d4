using StreamBilling.Storage;

namespace StreamBilling.Cli;

/// <summary>The store a command opens (see <see cref="UsageStoreOptions"/>).</summary>
/// <param name="Provider">Which backend.</param>
/// <param name="DuckDbPath">The DuckDB file (DuckDb only).</param>
/// <param name="ConnectionString">The Npgsql connection string (Postgres only).</param>
internal sealed record UsageStoreChoice(UsageStoreProvider Provider, string DuckDbPath, string? ConnectionString)
{
    /// <summary>Where the store is, for messages (never with credentials).</summary>
    public string Describe()
    {
        if (Provider == UsageStoreProvider.DuckDb)
        {
            return Path.GetFullPath(DuckDbPath);
        }

        try
        {
            return "PostgreSQL " + UsageStores.DescribePostgres(ConnectionString!);
        }
        catch (ArgumentException)
        {
            return "PostgreSQL (connection string not valid)";
        }
    }
}
