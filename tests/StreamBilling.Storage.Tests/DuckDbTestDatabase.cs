namespace StreamBilling.Storage.Tests;

/// <summary>A DuckDB file in a fresh temporary folder, deleted on dispose.</summary>
public sealed class DuckDbTestDatabase : TestDatabase
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "streambilling-storage-" + Guid.NewGuid().ToString("N"));

    public DuckDbTestDatabase() => Directory.CreateDirectory(_folder);

    public override Task<IUsageStore> OpenAsync() => UsageStores.OpenDuckDbAsync(Path.Combine(_folder, "usage.duckdb"), TestContext.Current.CancellationToken);

    public override ValueTask DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return ValueTask.CompletedTask;
    }
}
