namespace StreamBilling.Storage.Tests;

public sealed class PostgresRollupStoreTests() : RollupStoreTests(new PostgresTestDatabase());
