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
}
