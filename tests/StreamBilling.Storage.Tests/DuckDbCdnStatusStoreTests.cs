namespace StreamBilling.Storage.Tests;

public sealed class DuckDbCdnStatusStoreTests() : CdnStatusStoreTests(new DuckDbTestDatabase());
