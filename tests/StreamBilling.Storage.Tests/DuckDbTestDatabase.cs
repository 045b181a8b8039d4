namespace StreamBilling.Storage.Tests;

/// <summary>A DuckDB file in a fresh temporary folder, deleted on dispose.</summary>
public sealed class DuckDbTestDatabase : TestDatabase
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "streambilling-storage-" + Guid.NewGuid().ToString("N"));

    public DuckDbTestDatabase() => Directory.CreateDirectory(_folder);

    /// <summary>The store file (created by the first open).</summary>
    public string FilePath => Path.Combine(_folder, "usage.duckdb");

    public override Task<IUsageStore> OpenAsync() => UsageStores.OpenDuckDbAsync(FilePath, TestContext.Current.CancellationToken);

    public override ValueTask DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return ValueTask.CompletedTask;
    }
}
