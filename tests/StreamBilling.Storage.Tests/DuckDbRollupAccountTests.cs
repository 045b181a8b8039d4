namespace StreamBilling.Storage.Tests;

public sealed class DuckDbRollupAccountTests() : RollupAccountTests(new DuckDbTestDatabase());
