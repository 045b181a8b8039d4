namespace StreamBilling.Storage.Tests;

public sealed class PostgresCdnRegistryStoreTests() : CdnRegistryStoreTests(new PostgresTestDatabase());
