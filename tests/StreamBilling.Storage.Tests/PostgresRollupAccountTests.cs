namespace StreamBilling.Storage.Tests;

public sealed class PostgresRollupAccountTests() : RollupAccountTests(new PostgresTestDatabase());
