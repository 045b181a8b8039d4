using StreamBilling.Billing.Invoicing;
using StreamBilling.Events.Common;
using StreamBilling.Events.ElasticIp;
using StreamBilling.Events.Outputs;
using StreamBilling.Kafka;
using StreamBilling.Pipeline.Pricing;

namespace StreamBilling.Pipeline.Tests;

/// <summary>
/// Invoices retention: months closed longer than <c>ClosedMonthRetention</c> ago are pruned from the stores. With a
/// grace of 1 day and a retention of 30 days, August 2021 closes at the first punctuation after Sep 2 (here Sep 3, 10:00)
/// and may be pruned from Oct 3, 10:00 on.
/// </summary>
public sealed class InvoiceRetentionTests
{
    [Fact]
    public void MonthClosedLongerThanTheRetentionAgo_IsPruned_ItsLinesCloseAndRevisionDeleted()
    {
        using var driver = Driver();
        Use(driver, "s1", "2021-08-20T10:00:00");
        Use(driver, "s2", "2021-09-03T10:00:00");

        Use(driver, "s3", "2021-10-03T12:00:00");

        Assert.Equal(["2021-09", "2021-10"], LineMonths(driver));
        var state = driver.Customer();
        Assert.Equal("2021-08", state.PrunedThrough?.ToString());
        Assert.Equal(["2021-09"], state.Closed.Select(c => c.Month.ToString()));
        Assert.Equal(["2021-09", "2021-10"], state.Revisions.Keys.Select(m => m.ToString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void WithinTheRetention_TheClosedMonthIsKept_AndLateUsageForItBecomesACorrection()
    {
        using var driver = Driver();
        Use(driver, "s1", "2021-08-20T10:00:00");
        Use(driver, "s2", "2021-09-03T10:00:00");
        Use(driver, "s3", "2021-10-03T09:00:00");

        var invoices = Use(driver, "s4", "2021-08-25T10:00:00", "2021-08-25T12:10:00");

        Assert.Equal(["2021-08", "2021-09", "2021-10"], LineMonths(driver).Distinct());
        Assert.Null(driver.Customer().PrunedThrough);
        Assert.Equal(["2021-10"], invoices.Select(i => i.billingMonth));
        Assert.Equal([("2021-08", 3 * 0.0209m)], Corrections(invoices[0]));
    }

    [Fact]
    public void LateUsageForAPrunedMonth_GoesToTheLateRecordsTopic_WithTheReason_AndChangesNoInvoice()
    {
        using var driver = Driver();
        Use(driver, "s1", "2021-08-20T10:00:00");
        Use(driver, "s2", "2021-09-03T10:00:00");
        Use(driver, "s3", "2021-10-03T12:00:00");
        driver.LateInputs();

        var lines = driver.Price(BillingDriver.Slice("s4", "i-s4", "2021-08-25T10:00:00", "2021-08-25T10:00:00", "2021-08-25T12:10:00"));
        var invoices = driver.Bill(lines);

        Assert.Empty(invoices.Select(i => i.invoiceId));
        var (input, reason) = Assert.Single(driver.LateInputs());
        Assert.Equal(lines.Single().Value.eventId, Assert.IsType<Invoicing.PricedLineInput>(input).Line.LineId);
        Assert.StartsWith("month-pruned: 2021-08 ", reason, StringComparison.Ordinal);
        Assert.DoesNotContain("2021-08", LineMonths(driver));
    }

    [Fact]
    public void RestoreAfterPruning_DoesNotBringThePrunedMonthBack_AndKeepsBillingTheMonthsKept()
    {
        using var driver = Driver();
        Use(driver, "s1", "2021-08-20T10:00:00");
        Use(driver, "s2", "2021-09-03T10:00:00");
        Use(driver, "s3", "2021-10-03T12:00:00");

        driver.RestartInvoicing();
        var late = Use(driver, "s4", "2021-08-25T10:00:00");
        var october = Use(driver, "s5", "2021-10-04T10:00:00");

        Assert.Equal(["2021-09", "2021-10", "2021-10"], LineMonths(driver));
        Assert.Equal("2021-08", driver.Customer().PrunedThrough?.ToString());
        Assert.Empty(late.Select(i => i.invoiceId));
        Assert.StartsWith("month-pruned:", Assert.Single(driver.LateInputs()).Reason, StringComparison.Ordinal);
        Assert.Equal([("2021-10", 2 * 0.0209m)], october.Select(i => (i.billingMonth, BillingDriver.Money(i.totalAmount))));
    }

    [Fact]
    public void MonthOwingACorrection_IsKeptUntilTheInvoiceCarryingItCloses()
    {
        using var driver = Driver();
        Use(driver, "s1", "2021-08-20T10:00:00");
        Use(driver, "s2", "2021-09-03T10:00:00");
        Use(driver, "s3", "2021-10-02T12:00:00");
        Use(driver, "s4", "2021-08-25T10:00:00", "2021-08-25T12:10:00"); // late: a correction for August on October

        Use(driver, "s5", "2021-10-03T12:00:00");
        var keptWhileOwed = LineMonths(driver);
        var prunedWhileOwed = driver.Customer().PrunedThrough;
        Use(driver, "s6", "2021-11-02T12:00:00");

        Assert.Contains("2021-08", keptWhileOwed);
        Assert.Null(prunedWhileOwed);
        var octoberFinal = driver.Latest()["CUST001/2021-10"];
        Assert.Equal(InvoiceStatus.Final, octoberFinal.status);
        Assert.Equal(["2021-08"], Corrections(octoberFinal).Select(c => c.Month));
        Assert.Equal("2021-09", driver.Customer().PrunedThrough?.ToString());
        Assert.Equal(["2021-10", "2021-10", "2021-11"], LineMonths(driver));
    }

    [Fact]
    public void FreeTierWindow_StillStartsAtTheFirstBillMonth_AfterThatMonthIsPruned_AndAfterARestore()
    {
        using var driver = Driver();
        var lines = new List<Billing.UsagePricing.PricedLine>();
        foreach (var (session, at) in new[] { ("s1", "2021-08-20T10:00:00"), ("s2", "2021-10-05T10:00:00"), ("s3", "2021-12-05T10:00:00") })
        {
            var priced = driver.Price(BillingDriver.Slice(session, "i-" + session, at, at, T.At(at).AddHours(1).ToString("O"), type: "t3.micro"));
            lines.AddRange(priced.Select(p => PricedLineItems.ToLine(p.Value)));
            driver.Bill(priced);
        }

        var pruned = driver.Customer().PrunedThrough?.ToString();
        driver.RestartInvoicing();

        // August 2022 is the 13th month from August 2021: no free tier, though it is only the 11th from October 2021.
        var august = driver.Price(BillingDriver.Slice("s4", "i-s4", "2022-08-05T10:00:00", "2022-08-05T10:00:00", "2022-08-05T11:00:00", type: "t3.micro"));
        lines.AddRange(august.Select(p => PricedLineItems.ToLine(p.Value)));
        driver.Bill(august);

        Assert.Equal("2021-08", pruned);
        var engine = new InvoiceAssembler("CUST001", "ABC Corporation");
        lines.ForEach(l => engine.Add(l));
        var invoice = driver.Latest()["CUST001/2022-08"];
        Assert.Equal(0m, engine.Bill(BillingDriver.Month("2022-08"))!.TotalDiscount);
        Assert.Equal((0.0104m, 0m), (BillingDriver.Money(invoice.totalAmount), BillingDriver.Money(invoice.totalDiscount)));
    }

    [Fact]
    public void ElasticIpHeldAcrossAPrunedMonth_IsBilledInEachMonthKept_AndTheReleaseEndsIt()
    {
        using var driver = Driver();
        driver.Bill(Allocated("2021-08-10T00:00:00"));
        Use(driver, "s1", "2021-08-20T10:00:00");
        Use(driver, "s2", "2021-09-03T10:00:00");
        Use(driver, "s3", "2021-10-05T10:00:00");

        var invoices = driver.Bill(Released("2021-10-06T00:00:00"));

        Assert.Equal("2021-08", driver.Customer().PrunedThrough?.ToString());
        Assert.Equal(["2021-10"], invoices.Select(i => i.billingMonth));
        Assert.Equal(
            [(5L * 24 * 3600, 5 * 24 * 0.005m)],
            invoices[0].lines.Where(l => l.service == ServiceKind.ElasticIp && !l.isCorrection).Select(l => (l.billedSeconds, BillingDriver.Money(l.amount))));

        // September closed with the allocation open and billed it through its end, so nothing is corrected.
        Assert.Empty(Corrections(invoices[0]));
        var september = driver.Invoices.Select(r => r.Value).Last(i => i.billingMonth == "2021-09");
        Assert.Equal(InvoiceStatus.Final, september.status);
        Assert.Equal(30L * 24 * 3600, september.lines.Single(l => l.service == ServiceKind.ElasticIp).billedSeconds);
    }

    [Fact]
    public void Options_RejectANonPositiveRetention()
    {
        var options = new Invoicing.InvoiceOptions { RateCard = BillingDriver.Card, ClosedMonthRetention = TimeSpan.Zero };

        Assert.Throws<ArgumentOutOfRangeException>(() => InvoiceTopology.Build(new AvroSerdes(new InMemorySchemaRegistryClient()), options));
    }

    private static BillingDriver Driver() => new(monthCloseGrace: TimeSpan.FromDays(1), closedMonthRetention: TimeSpan.FromDays(30));

    /// <summary>Prices and bills a t3.small slice (30 minutes unless told) and returns the invoices it caused.</summary>
    private static IReadOnlyList<Invoice> Use(BillingDriver driver, string session, string from, string? until = null) =>
        driver.Bill(driver.Price(BillingDriver.Slice(session, "i-" + session, from, from, until ?? T.At(from).AddMinutes(30).ToString("O"))));

    /// <summary>The correction lines of an invoice: month corrected and amount (projected: xUnit cannot print Avro records).</summary>
    private static List<(string? Month, decimal Amount)> Corrections(Invoice invoice) =>
        [.. invoice.lines.Where(l => l.isCorrection).Select(l => (l.correctsMonth, BillingDriver.Money(l.amount)))];

    /// <summary>Months of the priced lines in the entry store, in order.</summary>
    private static List<string> LineMonths(BillingDriver driver) =>
        [.. driver.Entries().Values.Where(e => e.Line is not null).Select(e => e.Line!.Month.ToString()).Order(StringComparer.Ordinal)];

    private static ElasticIpAllocated Allocated(string at) => ElasticIpRecords.Allocated("eipalloc-1", "203.0.113.10", at);

    private static ElasticIpReleased Released(string at) => ElasticIpRecords.Released("eipalloc-1", "203.0.113.10", at);
}
