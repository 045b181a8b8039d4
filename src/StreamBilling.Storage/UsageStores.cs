namespace StreamBilling.Storage;

/// <summary>Opens <see cref="IUsageStore"/> implementations.</summary>
public static class UsageStores
{
    /// <summary>Where the CLI and host keep the DuckDB file unless told otherwise (relative to the working directory).</summary>
    public const string DefaultDuckDbPath = ".streambilling/usage.duckdb";

    /// <summary>
    /// An embedded DuckDB store in <paramref name="path"/> (created with the schema of <c>infra/duckdb</c> when new), or
    /// in memory when <paramref name="path"/> is null. One process at a time may open a file.
    /// </summary>
    public static Task<IUsageStore> OpenDuckDbAsync(string? path, CancellationToken cancellationToken = default)
    {
        if (path is not null && Path.GetDirectoryName(Path.GetFullPath(path)) is { } folder)
        {
            Directory.CreateDirectory(folder);
        }

        return DuckDbUsageStore.OpenAsync(path, cancellationToken);
    }
}
