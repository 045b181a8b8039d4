namespace StreamBilling.Storage.Tests;

public sealed class DuckDbRollupStoreTests() : RollupStoreTests(new DuckDbTestDatabase());
