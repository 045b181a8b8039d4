namespace StreamBilling.Storage.Tests;

public sealed class DuckDbCdnRegistryStoreTests() : CdnRegistryStoreTests(new DuckDbTestDatabase());
