namespace StreamBilling.Storage;

/// <summary>Opens <see cref="IUsageStore"/> implementations.</summary>
public static class UsageStores
{
    /// <summary>Where the CLI and host keep the DuckDB file unless told otherwise (relative to the working directory).</summary>
    public const string DefaultDuckDbPath = ".streambilling/usage.duckdb";

    /// <summary>
    /// An embedded DuckDB store in <paramref name="path"/> (created with the schema of <c>infra/duckdb</c> when new), or
    /// in memory when <paramref name="path"/> is null. One process at a time may open a file. An existing file is
    /// migrated to the newest schema version first (<c>schema_version</c>, see docs/pipeline.md).
    /// </summary>
    /// <exception cref="UsageStoreLockedException">Another process has the file open.</exception>
    /// <exception cref="UsageStoreSchemaException">The file's schema is newer than this code, or a migration failed.</exception>
    public static Task<IUsageStore> OpenDuckDbAsync(string? path, CancellationToken cancellationToken = default) =>
        OpenDuckDbAsync(path, TimeProvider.System, cancellationToken);

    /// <summary>As <see cref="OpenDuckDbAsync(string?, CancellationToken)"/>, stamping applied migrations with <paramref name="time"/>.</summary>
    public static Task<IUsageStore> OpenDuckDbAsync(string? path, TimeProvider time, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(time);
        if (path is not null && Path.GetDirectoryName(Path.GetFullPath(path)) is { } folder)
        {
            Directory.CreateDirectory(folder);
        }

        return DuckDbUsageStore.OpenAsync(path, time, cancellationToken);
    }

    /// <summary>
    /// A PostgreSQL store on the server and database of <paramref name="connectionString"/> (an Npgsql connection string;
    /// <c>Search Path</c> picks a schema), its schema brought to this build's version by the migrations of
    /// <c>infra/postgres</c>. Any number of processes may open it at once.
    /// </summary>
    /// <exception cref="UsageStoreUnavailableException">The server cannot be reached or refused the login, the connection
    /// string is not valid, or the database's schema is newer than this build.</exception>
    public static Task<IUsageStore> OpenPostgresAsync(string connectionString, CancellationToken cancellationToken = default) =>
        PostgresUsageStore.OpenAsync(connectionString, cancellationToken);

    /// <summary>
    /// The store <paramref name="provider"/> names: DuckDB in <paramref name="duckDbPath"/> (null: in memory), or
    /// PostgreSQL at <paramref name="postgresConnectionString"/> (required then).
    /// </summary>
    public static Task<IUsageStore> OpenAsync(UsageStoreProvider provider, string? duckDbPath, string? postgresConnectionString, CancellationToken cancellationToken = default) =>
        OpenAsync(provider, duckDbPath, postgresConnectionString, TimeProvider.System, cancellationToken);

    /// <summary>As <see cref="OpenAsync(UsageStoreProvider, string?, string?, CancellationToken)"/>, stamping applied DuckDB migrations with <paramref name="time"/>.</summary>
    public static Task<IUsageStore> OpenAsync(UsageStoreProvider provider, string? duckDbPath, string? postgresConnectionString, TimeProvider time, CancellationToken cancellationToken = default) =>
        provider switch
        {
            UsageStoreProvider.DuckDb => OpenDuckDbAsync(duckDbPath, time, cancellationToken),
            UsageStoreProvider.Postgres when string.IsNullOrWhiteSpace(postgresConnectionString) =>
                throw new UsageStoreUnavailableException("The PostgreSQL store needs a connection string."),
            UsageStoreProvider.Postgres => OpenPostgresAsync(postgresConnectionString!, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown store provider."),
        };

    /// <summary>Reads a provider name as settings and options give it (<c>DuckDb</c> or <c>Postgres</c>, any case).</summary>
    public static bool TryParseProvider(string? name, out UsageStoreProvider provider) =>
        Enum.TryParse(name, ignoreCase: true, out provider) && Enum.IsDefined(provider) && !int.TryParse(name, out _);

    /// <summary>Where a PostgreSQL connection string points, <c>host:port/database</c> (and the schema), without credentials.</summary>
    public static string DescribePostgres(string connectionString) => PostgresUsageStore.Describe(new Npgsql.NpgsqlConnectionStringBuilder(connectionString));
}
