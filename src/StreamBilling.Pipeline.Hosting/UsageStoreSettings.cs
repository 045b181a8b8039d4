using StreamBilling.Storage;

namespace StreamBilling.Pipeline.Hosting;

/// <summary>Which database keeps the rollup, CDN status and invoice store, and where (section <c>Storage</c>).</summary>
public sealed class UsageStoreSettings
{
    /// <summary>Configuration section the settings bind from.</summary>
    public const string SectionName = "Storage";

    /// <summary>Value of <see cref="DuckDbPath"/> that keeps the store in memory (tests).</summary>
    public const string InMemory = ":memory:";

    /// <summary>
    /// <c>DuckDb</c> (default: an embedded file one process at a time may open) or <c>Postgres</c> (a server that several
    /// host instances and the CLI share; needs <see cref="ConnectionString"/>). Case-insensitive.
    /// </summary>
    public string Provider { get; set; } = nameof(UsageStoreProvider.DuckDb);

    /// <summary>
    /// The DuckDB file (relative to the working directory; the CLI's <c>--db</c> default), or <c>:memory:</c>. One process
    /// at a time may open the file, so the CLI's <c>query</c> and <c>cdn</c> commands read it after the host stopped.
    /// </summary>
    public string DuckDbPath { get; set; } = UsageStores.DefaultDuckDbPath;

    /// <summary>The PostgreSQL store's Npgsql connection string, e.g. <c>Host=db;Database=streambilling;Username=…;Password=…</c> (Postgres only).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Why the settings cannot open a store, or null when they can (checked at start).</summary>
    public string? Problem()
    {
        if (!UsageStores.TryParseProvider(Provider, out var provider))
        {
            return $"{SectionName}:Provider must be {nameof(UsageStoreProvider.DuckDb)} or {nameof(UsageStoreProvider.Postgres)}, not '{Provider}'.";
        }

        return provider switch
        {
            UsageStoreProvider.DuckDb when string.IsNullOrWhiteSpace(DuckDbPath) => $"{SectionName}:DuckDbPath must not be empty.",
            UsageStoreProvider.Postgres when string.IsNullOrWhiteSpace(ConnectionString) =>
                $"{SectionName}:ConnectionString must be set when {SectionName}:Provider is Postgres (an Npgsql connection string: Host=…;Port=…;Database=…;Username=…;Password=…).",
            _ => null,
        };
    }

    /// <summary>Opens the store these settings name (valid settings: see <see cref="Problem"/>); <paramref name="time"/> stamps applied migrations.</summary>
    public Task<IUsageStore> OpenAsync(TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        var problem = Problem();
        if (problem is not null || !UsageStores.TryParseProvider(Provider, out var provider))
        {
            throw new InvalidOperationException(problem);
        }

        return UsageStores.OpenAsync(provider, DuckDbPath == InMemory ? null : DuckDbPath, ConnectionString, time ?? TimeProvider.System, cancellationToken);
    }
}
