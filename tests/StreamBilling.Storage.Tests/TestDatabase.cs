namespace StreamBilling.Storage.Tests;

/// <summary>An empty store of one backend for one test: every open sees what earlier opens stored; dispose removes it.</summary>
public abstract class TestDatabase : IAsyncDisposable
{
    /// <summary>Opens (the first time: creates) the store.</summary>
    public abstract Task<IUsageStore> OpenAsync();

    public abstract ValueTask DisposeAsync();
}
