namespace StreamBilling.Storage.Tests;

public sealed class PostgresCdnStatusStoreTests() : CdnStatusStoreTests(new PostgresTestDatabase());
