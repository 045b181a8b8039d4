using StreamBilling.Events.Outputs;
using StreamBilling.Pipeline.Invoicing;

namespace StreamBilling.Pipeline.Tests;

/// <summary>Invoices in the test driver: idempotent lines, month close with a final invoice, corrections, restart.</summary>
public sealed class InvoiceTopologyTests
{
    [Fact]
    public void Bill_LinesReplayed_CountedOnceAndNoNewInvoice()
    {
        using var driver = new BillingDriver();
        var lines = driver.Price(BillingDriver.Slice("s1", "i-1", "2021-08-01T10:00:00", "2021-08-01T10:00:00", "2021-08-01T10:30:00"))
            .Concat(driver.Price(BillingDriver.Slice("s2", "i-2", "2021-08-02T10:00:00", "2021-08-02T10:00:00", "2021-08-02T11:30:00")))
            .ToList();

        var first = driver.Bill(lines);
        var replayed = driver.Bill(lines);

        Assert.Equal(2, first.Count);
        Assert.Empty(replayed);
        var invoice = Assert.Single(driver.Latest().Values);
        Assert.Equal("CUST001/2021-08", invoice.invoiceId);
        Assert.Equal("ABC Corporation", invoice.customerName);
        Assert.Equal(InvoiceStatus.MonthToDate, invoice.status);
        Assert.Equal(2, invoice.revision);

        // 1 + 2 started hours at $0.0209.
        Assert.Equal(0.0627m, BillingDriver.Money(invoice.totalAmount));
        var line = Assert.Single(invoice.lines);
        Assert.Equal(2, line.resourceCount);
        Assert.Equal(3 * 3600, line.billedSeconds);
    }

    [Fact]
    public void Bill_LineKeyedByAnotherAccount_GoesToTheLateTopic_AndIsNotBilled()
    {
        using var driver = new BillingDriver();
        var late = driver.Invoicing.CreateLateRecordsTopic();
        var line = Assert.Single(driver.Price(BillingDriver.Slice("s1", "i-1", "2021-08-01T10:00:00", "2021-08-01T10:00:00", "2021-08-01T10:30:00")));

        var invoices = driver.Bill([line with { Key = "CUST999" }]);

        Assert.Empty(invoices);
        var record = Assert.Single(late.ReadLate(Streams.Serdes.Json<BillingInput>()));
        Assert.StartsWith("key-mismatch", record.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Bill_StreamTimePastMonthEndPlusGrace_FinalInvoiceOnce()
    {
        using var driver = new BillingDriver(monthCloseGrace: TimeSpan.FromDays(1));
        driver.Bill(driver.Price(BillingDriver.Slice("s1", "i-1", "2021-08-31T10:00:00", "2021-08-31T10:00:00", "2021-08-31T10:30:00")));

        var beforeGrace = driver.Bill(driver.Price(BillingDriver.Slice("s2", "i-2", "2021-09-01T12:00:00", "2021-09-01T12:00:00", "2021-09-01T12:30:00")));
        var afterGrace = driver.Bill(driver.Price(BillingDriver.Slice("s3", "i-3", "2021-09-02T01:00:00", "2021-09-02T01:00:00", "2021-09-02T01:30:00")));
        var later = driver.Bill(driver.Price(BillingDriver.Slice("s4", "i-4", "2021-09-05T01:00:00", "2021-09-05T01:00:00", "2021-09-05T01:30:00")));

        Assert.DoesNotContain(beforeGrace, i => i.status == InvoiceStatus.Final);
        var final = Assert.Single(afterGrace, i => i.status == InvoiceStatus.Final);
        Assert.Equal("2021-08", final.billingMonth);
        Assert.Equal(0.0209m, BillingDriver.Money(final.totalAmount));
        Assert.DoesNotContain(later, i => i.status == InvoiceStatus.Final);
        Assert.Equal(InvoiceStatus.Final, driver.Latest()["CUST001/2021-08"].status);
    }

    [Fact]
    public void Bill_LateUsageForClosedMonth_CorrectionOnNextInvoiceAndFinalUnchanged()
    {
        using var driver = new BillingDriver(monthCloseGrace: TimeSpan.FromDays(1));
        driver.Bill(driver.Price(BillingDriver.Slice("s1", "i-1", "2021-08-31T10:00:00", "2021-08-31T10:00:00", "2021-08-31T10:30:00")));
        driver.Bill(driver.Price(BillingDriver.Slice("s2", "i-2", "2021-09-03T10:00:00", "2021-09-03T10:00:00", "2021-09-03T10:30:00")));
        var final = driver.Latest()["CUST001/2021-08"];

        var late = driver.Bill(driver.Price(BillingDriver.Slice("s3", "i-3", "2021-08-20T10:00:00", "2021-08-20T10:00:00", "2021-08-20T12:10:00")));

        var september = Assert.Single(late);
        Assert.Equal("2021-09", september.billingMonth);
        var correction = Assert.Single(september.lines, l => l.isCorrection);
        Assert.Equal("2021-08", correction.correctsMonth);
        Assert.Equal(3 * 0.0209m, BillingDriver.Money(correction.amount));
        Assert.Same(final, driver.Latest()["CUST001/2021-08"]);
        Assert.Equal(InvoiceStatus.Final, final.status);
    }

    [Fact]
    public void Bill_AfterRestartFromChangelog_ReplayIgnoredAndNewLineAddsToRestoredInvoice()
    {
        using var driver = new BillingDriver();
        var first = driver.Price(BillingDriver.Slice("s1", "i-1", "2021-08-01T10:00:00", "2021-08-01T10:00:00", "2021-08-01T10:30:00"));
        driver.Bill(first);

        driver.RestartInvoicing();
        var replayed = driver.Bill(first);
        var added = driver.Bill(driver.Price(BillingDriver.Slice("s2", "i-2", "2021-08-02T10:00:00", "2021-08-02T10:00:00", "2021-08-02T11:30:00")));

        Assert.Empty(replayed);
        var invoice = Assert.Single(added);
        Assert.Equal(0.0627m, BillingDriver.Money(invoice.totalAmount));
        Assert.Equal(2, invoice.revision);
    }

    [Fact]
    public void ToBill_InvoiceRecord_RoundTripsTheBill()
    {
        using var driver = new BillingDriver();
        var invoice = driver.Bill(driver.Price(BillingDriver.Slice("s1", "i-1", "2021-08-01T10:00:00", "2021-08-01T10:00:00", "2021-08-01T10:30:45"))).Single();

        var bill = InvoiceRecords.ToBill(invoice);

        var line = Assert.Single(bill.Lines);
        Assert.Equal(("us-east-1", "t3.small", Billing.Pricing.OnDemand, 1, TimeSpan.FromSeconds(1845), 1L, 0.0209m, 0.0209m),
            (line.Region, line.InstanceType, line.Pricing, line.Resources, line.UsedTime, line.BilledHours, line.Rate, line.Amount));
        Assert.Equal("ABC Corporation", bill.CustomerName);
        Assert.Equal(BillingDriver.Month("2021-08"), bill.Month);
    }
}
