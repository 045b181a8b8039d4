namespace StreamBilling.Storage.Tests;

public sealed class PostgresDailyUsageStoreTests() : DailyUsageStoreTests(new PostgresTestDatabase());
