namespace StreamBilling.Storage;

/// <summary>Opens <see cref="IUsageStore"/> implementations.</summary>
public static class UsageStores
{
    /// <summary>
    /// An embedded DuckDB store in <paramref name="path"/> (created with the schema of <c>infra/duckdb</c> when new), or
    /// in memory when <paramref name="path"/> is null. One process at a time may open a file.
    /// </summary>
    public static Task<IUsageStore> OpenDuckDbAsync(string? path, CancellationToken cancellationToken = default) =>
        DuckDbUsageStore.OpenAsync(path, cancellationToken);
}
