using StreamBilling.Events.Outputs;
using StreamBilling.Pipeline.Invoicing;
using StreamBilling.Storage;

namespace StreamBilling.Pipeline.Tests;

public sealed class InvoiceSinkTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryVersionWrittenThenReplayed_LeavesTheLatestRevisionPerMonth()
    {
        using var driver = ClosedAugustWithLateUsage(out var versions);
        await using var store = await UsageStores.OpenDuckDbAsync(_folder.File("usage.duckdb"), Ct);
        var sink = new InvoiceSink(store);

        foreach (var invoice in versions)
        {
            await sink.WriteAsync([invoice], Ct);
        }

        await sink.WriteAsync(versions, Ct);

        var latest = driver.Latest();
        Assert.Equal(
            latest.Values.OrderBy(i => i.billingMonth, StringComparer.Ordinal).Select(i => (i.billingMonth, i.status.ToString(), i.revision, BillingDriver.Money(i.totalAmount))),
            (await store.ListInvoicesAsync("CUST001", Ct)).Select(s => (s.BillingMonth.ToString(), s.Status, s.Revision, s.TotalAmount)));
    }

    [Fact]
    public async Task OlderVersionsReplayedAfterTheFinal_DoNotReplaceIt()
    {
        using var driver = ClosedAugustWithLateUsage(out var versions);
        var august = versions.Where(i => i.billingMonth == "2021-08").ToList();
        await using var store = await UsageStores.OpenDuckDbAsync(_folder.File("usage.duckdb"), Ct);
        var sink = new InvoiceSink(store);
        await sink.WriteAsync([august[^1]], Ct);

        // A batch holding only older versions, newest first, as a replay from an earlier offset could deliver.
        await sink.WriteAsync(Enumerable.Reverse(august[..^1]), Ct);

        var stored = await store.GetInvoiceAsync("CUST001", new Billing.BillingMonth(2021, 8), Ct);
        Assert.Equal(("Final", august[^1].revision), (stored!.Header.Status, stored.Header.Revision));
    }

    [Fact]
    public async Task TheStoredDocument_KeepsLinesAndCorrectionsApartWithExactMoney()
    {
        using var driver = ClosedAugustWithLateUsage(out _);
        var september = driver.Latest()["CUST001/2021-09"];
        await using var store = await UsageStores.OpenDuckDbAsync(_folder.File("usage.duckdb"), Ct);

        await new InvoiceSink(store).WriteAsync([september], Ct);

        var document = InvoiceDocument.FromJson((await store.GetInvoiceAsync("CUST001", new Billing.BillingMonth(2021, 9), Ct))!.Document);
        Assert.Equal(InvoiceDocument.From(september) with { Lines = [], Corrections = [] }, document with { Lines = [], Corrections = [] });
        Assert.Equal(september.lines.Where(l => !l.isCorrection).Select(InvoiceDocumentLine.From), document.Lines);
        var correction = Assert.Single(document.Corrections);
        Assert.Equal(("2021-08", BillingDriver.Money(september.lines.Single(l => l.isCorrection).amount)), (correction.CorrectsMonth, correction.Amount));
        Assert.Equal(document.Lines.Sum(l => l.Amount) + correction.Amount, document.Header.TotalAmount);
    }

    [Fact]
    public void AnInvoiceWhoseIdDisagreesWithItsCustomerAndMonth_IsRejected()
    {
        using var driver = ClosedAugustWithLateUsage(out var versions);
        var invoice = versions[0];
        invoice.invoiceId = "CUST002/" + invoice.billingMonth;

        Assert.Throws<ArgumentException>(() => InvoiceSink.ToStored(invoice));
    }

    [Fact]
    public void AnInvoiceWithoutAValidMonth_IsRejected()
    {
        using var driver = ClosedAugustWithLateUsage(out var versions);
        var invoice = versions[0];
        invoice.billingMonth = "august";
        invoice.invoiceId = invoice.customerId + "/august";

        Assert.NotNull(InvoiceSink.Validate(invoice));
    }

    /// <summary>August closes (Final), then late August usage becomes a correction on September's month-to-date invoice.</summary>
    private static BillingDriver ClosedAugustWithLateUsage(out List<Invoice> versions)
    {
        var driver = new BillingDriver(monthCloseGrace: TimeSpan.FromDays(1));
        versions = [];
        versions.AddRange(driver.Bill(driver.Price(BillingDriver.Slice("s1", "i-1", "2021-08-31T10:00:00", "2021-08-31T10:00:00", "2021-08-31T10:30:00"))));
        versions.AddRange(driver.Bill(driver.Price(BillingDriver.Slice("s2", "i-2", "2021-09-03T10:00:00", "2021-09-03T10:00:00", "2021-09-03T10:30:00"))));
        versions.AddRange(driver.Bill(driver.Price(BillingDriver.Slice("s3", "i-3", "2021-08-20T10:00:00", "2021-08-20T10:00:00", "2021-08-20T12:10:00"))));
        return driver;
    }
}
