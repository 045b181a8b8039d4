namespace StreamBilling.Storage.Tests;

public sealed class DuckDbInvoiceStoreTests() : InvoiceStoreTests(new DuckDbTestDatabase());
