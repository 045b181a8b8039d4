using StreamBilling.Billing;

namespace StreamBilling.Storage.Tests;

/// <summary>The store contract, run against each backend by a subclass that supplies an empty database.</summary>
public abstract class InvoiceStoreTests(TestDatabase database) : IAsyncDisposable
{
    private static readonly DateTimeOffset Issued = new(2024, 8, 1, 10, 0, 0, TimeSpan.Zero);
    private readonly TestDatabase _database = database;

    public async ValueTask DisposeAsync()
    {
        await _database.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnInvoiceNeverStored_IsNull()
    {
        await using var store = await _database.OpenAsync();

        Assert.Null(await store.GetInvoiceAsync("c1", new BillingMonth(2024, 8), Ct));
    }

    [Fact]
    public async Task AStoredInvoice_ReadsBackWithExactMoneyAndUtcTime()
    {
        await using var store = await _database.OpenAsync();
        var invoice = Invoice("c1", "2024-08", 3, "MonthToDate", 1234.567891m);

        await store.UpsertInvoicesAsync([invoice], Ct);

        Assert.Equal(invoice, await store.GetInvoiceAsync("c1", new BillingMonth(2024, 8), Ct));
    }

    [Fact]
    public async Task Amounts_ReadBackWithoutTheColumnsTrailingZeros_InTheListAndTheDetail()
    {
        await using var store = await _database.OpenAsync();
        await store.UpsertInvoicesAsync([Invoice("c1", "2024-08", 1, "MonthToDate", 12.5m)], Ct);

        var listed = Assert.Single(await store.ListInvoicesAsync("c1", Ct));
        var stored = await store.GetInvoiceAsync("c1", new BillingMonth(2024, 8), Ct);

        Assert.Equal(("12.5", "12.5"), (listed.TotalAmount.ToString(System.Globalization.CultureInfo.InvariantCulture), stored!.Header.TotalAmount.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task AHigherRevision_ReplacesTheStoredOne()
    {
        await using var store = await _database.OpenAsync();
        await store.UpsertInvoicesAsync([Invoice("c1", "2024-08", 3, "MonthToDate", 10m)], Ct);

        await store.UpsertInvoicesAsync([Invoice("c1", "2024-08", 4, "Final", 12.5m)], Ct);

        var stored = await store.GetInvoiceAsync("c1", new BillingMonth(2024, 8), Ct);
        Assert.Equal((4L, "Final", 12.5m), (stored!.Header.Revision, stored.Header.Status, stored.Header.TotalAmount));
    }

    [Fact]
    public async Task AReplayedOlderRevision_DoesNotOverwriteANewerOne()
    {
        await using var store = await _database.OpenAsync();
        var final = Invoice("c1", "2024-08", 4, "Final", 12.5m);
        await store.UpsertInvoicesAsync([final], Ct);

        await store.UpsertInvoicesAsync([Invoice("c1", "2024-08", 1, "MonthToDate", 1m), Invoice("c1", "2024-08", 3, "MonthToDate", 10m)], Ct);

        Assert.Equal(final, await store.GetInvoiceAsync("c1", new BillingMonth(2024, 8), Ct));
    }

    [Fact]
    public async Task OneBatchWithRevisionsOutOfOrder_KeepsTheHighest_AndOtherInvoicesOfTheBatch()
    {
        await using var store = await _database.OpenAsync();

        await store.UpsertInvoicesAsync(
            [
                Invoice("c1", "2024-08", 2, "MonthToDate", 2m),
                Invoice("c1", "2024-08", 5, "Final", 5m),
                Invoice("c2", "2024-08", 1, "MonthToDate", 7m),
                Invoice("c1", "2024-08", 4, "MonthToDate", 4m),
            ],
            Ct);

        var c1 = await store.GetInvoiceAsync("c1", new BillingMonth(2024, 8), Ct);
        var c2 = await store.GetInvoiceAsync("c2", new BillingMonth(2024, 8), Ct);
        Assert.Equal((5L, "Final", 5m), (c1!.Header.Revision, c1.Header.Status, c1.Header.TotalAmount));
        Assert.Equal(7m, c2!.Header.TotalAmount);
    }

    [Fact]
    public async Task Listing_GivesTheCustomersMonthsOldestFirstWithTheirLatestHeader()
    {
        await using var store = await _database.OpenAsync();
        await store.UpsertInvoicesAsync(
            [
                Invoice("c1", "2024-08", 2, "MonthToDate", 5m),
                Invoice("c1", "2024-07", 6, "Final", 20m),
                Invoice("c1", "2024-08", 3, "MonthToDate", 7.25m),
                Invoice("c2", "2024-07", 1, "Final", 99m),
            ],
            Ct);

        var months = await store.ListInvoicesAsync("c1", Ct);

        Assert.Equal(
            [("2024-07", "Final", 6L, 20m), ("2024-08", "MonthToDate", 3L, 7.25m)],
            months.Select(m => (m.BillingMonth.ToString(), m.Status, m.Revision, m.TotalAmount)));
    }

    [Fact]
    public async Task ACustomerWithoutInvoices_ListsNothing()
    {
        await using var store = await _database.OpenAsync();
        await store.UpsertInvoicesAsync([Invoice("c2", "2024-07", 1, "Final", 99m)], Ct);

        Assert.Empty(await store.ListInvoicesAsync("c1", Ct));
    }

    private static StoredInvoice Invoice(string customerId, string month, long revision, string status, decimal total) =>
        new(
            new InvoiceHeader($"{customerId}/{month}", customerId, BillingMonth.Parse(month), status, revision, Issued.AddHours(revision), "USD", total, 0.5m, total - 0.5m),
            $"invoice-{customerId}-{month}-{revision}",
            $$"""{"revision":{{revision}}}""");
}
