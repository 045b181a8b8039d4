namespace StreamBilling.Storage.Tests;

/// <summary>A DuckDB file path in a fresh temporary folder, deleted on dispose.</summary>
internal sealed class TempDatabase : IDisposable
{
    private readonly string _folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "streambilling-storage-" + Guid.NewGuid().ToString("N"));

    public TempDatabase()
    {
        Directory.CreateDirectory(_folder);
        Path = System.IO.Path.Combine(_folder, "usage.duckdb");
    }

    public string Path { get; }

    public Task<IUsageStore> OpenAsync() => UsageStores.OpenDuckDbAsync(Path, TestContext.Current.CancellationToken);

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
