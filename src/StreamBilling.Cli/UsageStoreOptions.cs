using System.CommandLine;
using StreamBilling.Storage;

namespace StreamBilling.Cli;

/// <summary>
/// The options that choose a command's store, with the host's setting names as environment defaults: <c>--db</c> (the
/// DuckDB file), <c>--store-provider</c> (<c>Storage__Provider</c>) and <c>--store-connection</c>
/// (<c>Storage__ConnectionString</c>). A connection string alone means PostgreSQL.
/// </summary>
internal sealed class UsageStoreOptions
{
    public const string ProviderVariable = "Storage__Provider";
    public const string ConnectionVariable = "Storage__ConnectionString";

    public UsageStoreOptions(string duckDbDescription)
    {
        Db = new Option<string>("--db") { Description = duckDbDescription, DefaultValueFactory = _ => UsageStores.DefaultDuckDbPath };
        Provider = new Option<string?>("--store-provider")
        {
            Description = $"DuckDb (the --db file; one process at a time) or Postgres (a server several processes share; needs --store-connection). Default: ${ProviderVariable}, else Postgres when a connection string is given, else DuckDb.",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable(ProviderVariable),
        };
        Connection = new Option<string?>("--store-connection")
        {
            Description = $"PostgreSQL store's Npgsql connection string (Host=…;Port=…;Database=…;Username=…;Password=…). Default: ${ConnectionVariable}.",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable(ConnectionVariable),
        };
    }

    public Option<string> Db { get; }

    public Option<string?> Provider { get; }

    public Option<string?> Connection { get; }

    public IEnumerable<Option> All => [Db, Provider, Connection];

    /// <summary>The store the parsed options name, or null after writing why they name none to <paramref name="error"/>.</summary>
    public UsageStoreChoice? Resolve(ParseResult parsed, TextWriter error)
    {
        var connection = parsed.GetValue(Connection);
        var name = parsed.GetValue(Provider);
        if (string.IsNullOrWhiteSpace(name))
        {
            name = string.IsNullOrWhiteSpace(connection) ? nameof(UsageStoreProvider.DuckDb) : nameof(UsageStoreProvider.Postgres);
        }

        if (!UsageStores.TryParseProvider(name, out var provider))
        {
            error.WriteLine($"--store-provider must be DuckDb or Postgres, not '{name}'.");
            return null;
        }

        if (provider == UsageStoreProvider.Postgres && string.IsNullOrWhiteSpace(connection))
        {
            error.WriteLine($"The Postgres store needs --store-connection (or ${ConnectionVariable}): an Npgsql connection string.");
            return null;
        }

        return new UsageStoreChoice(provider, parsed.GetValue(Db)!, connection);
    }
}
