namespace StreamBilling.Storage;

/// <summary>The rollup and CDN status store the pipeline and the CLI use; dispose to close it.</summary>
public interface IUsageStore : IRollupStore, ICdnStatusStore, IAsyncDisposable
{
}
