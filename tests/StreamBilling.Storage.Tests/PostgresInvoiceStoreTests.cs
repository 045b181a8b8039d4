namespace StreamBilling.Storage.Tests;

public sealed class PostgresInvoiceStoreTests() : InvoiceStoreTests(new PostgresTestDatabase());
