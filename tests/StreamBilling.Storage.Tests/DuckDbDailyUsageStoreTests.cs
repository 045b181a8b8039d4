namespace StreamBilling.Storage.Tests;

public sealed class DuckDbDailyUsageStoreTests() : DailyUsageStoreTests(new DuckDbTestDatabase());
