namespace StreamBilling.Storage;

/// <summary>The rollup, CDN status, CDN registry and invoice store the pipeline and the CLI use; dispose to close it.</summary>
public interface IUsageStore : IRollupStore, ICdnStatusStore, ICdnDistributionStore, IInvoiceStore, IAsyncDisposable
{
}
