using FsCheck;
using FsCheck.Fluent;
using StreamBilling.Billing.Invoicing;
using StreamBilling.Billing.RateCards;
using StreamBilling.Billing.UsagePricing;
using static StreamBilling.Billing.Tests.Fixtures;

namespace StreamBilling.Billing.Tests;

public sealed class InvoiceAssemblerTests
{
    private static readonly UsagePricer Pricer = new(RateCard.FromInstanceRates(RegionRates(), FreeTier(), [new ElasticIpRate("", 0.005m)]));

    private static readonly BillingMonth July = new(2021, 7);
    private static readonly BillingMonth August = new(2021, 8);
    private static readonly BillingMonth September = new(2021, 9);

    private static IReadOnlyList<PricedLine> Price(
        string instance, string type, string from, string until, string region = Ohio, InstanceOs os = InstanceOs.Linux, Pricing pricing = Pricing.OnDemand, string? eventId = null) =>
        Pricer.PriceInstance(new InstanceUsage([eventId ?? $"launch-{instance}-{from}"], "CUST001", instance, type, region, os, pricing, T(from), T(from), T(until)));

    private static InvoiceAssembler With(params IReadOnlyList<PricedLine>[] lines)
    {
        var invoices = new InvoiceAssembler("CUST001", "ABC Corporation");
        foreach (var line in lines.SelectMany(l => l))
        {
            invoices.Add(line);
        }

        return invoices;
    }

    [Fact]
    public void Add_SameLineTwice_CountedOnce()
    {
        var lines = Price("i-1", "t3.small", "2021-08-10T10:00:00", "2021-08-10T12:30:00");
        var invoices = With(lines);

        Assert.Null(invoices.Add(lines[0]));
        var line = Line(invoices.Bill(August)!, "t3.small", Ohio);
        Assert.Equal(3, line.BilledHours);
        Assert.Equal([lines[0].LineId], line.SourceLineIds);
    }

    [Fact]
    public void Add_SameUsageFromAnotherEvent_CountedAgain()
    {
        var invoices = With(Price("i-1", "t3.small", "2021-08-10T10:00:00", "2021-08-10T11:00:00", eventId: "a"));

        Assert.Equal(August, invoices.Add(Price("i-1", "t3.small", "2021-08-10T10:00:00", "2021-08-10T11:00:00", eventId: "b")[0]));
        Assert.Equal(2, Line(invoices.Bill(August)!, "t3.small", Ohio).BilledHours);
    }

    [Fact]
    public void Close_LateUsage_FinalBillUnchangedAndCorrectionOnTheNextMonth()
    {
        var invoices = With(Price("i-1", "t3.small", "2021-07-10T10:00:00", "2021-07-10T12:00:00"), Price("i-2", "t3.small", "2021-08-02T00:00:00", "2021-08-02T01:00:00"));
        var final = invoices.Close(July)!;

        var changed = invoices.Add(Price("i-3", "t3.small", "2021-07-20T10:00:00", "2021-07-20T13:00:00")[0]);

        Assert.Equal(August, changed);
        Assert.Same(final, invoices.Bill(July));
        Assert.Equal(0.0418m, final.TotalAmount);
        var correction = Assert.Single(invoices.Bill(August)!.Corrections);
        Assert.Equal(new CorrectionLine(July, BillableService.Ec2, Ohio, "t3.small", "OnDemand", 3, "Hours", 0.0627m, 0m), correction);
        Assert.Equal(0.0209m + 0.0627m, invoices.Bill(August)!.TotalAmount);
    }

    [Fact]
    public void Close_NextMonthClosedToo_CorrectionOnTheFirstOpenMonth()
    {
        var invoices = With(Price("i-1", "t3.small", "2021-07-10T10:00:00", "2021-07-10T11:00:00"));
        invoices.Close(July);
        invoices.Close(August);

        Assert.Equal(September, invoices.Add(Price("i-2", "t3.small", "2021-07-11T10:00:00", "2021-07-11T11:00:00")[0]));
        Assert.Null(invoices.Bill(August));
        Assert.Equal(July, Assert.Single(invoices.Bill(September)!.Corrections).CorrectsMonth);
        Assert.Equal([July, September], invoices.Months);
    }

    [Fact]
    public void Close_CarryingMonth_CorrectionFrozenAndLaterUsageOnlyAddsTheDifference()
    {
        var invoices = With(Price("i-1", "t3.small", "2021-07-10T10:00:00", "2021-07-10T11:00:00"));
        invoices.Close(July);
        invoices.Add(Price("i-2", "t3.small", "2021-07-11T10:00:00", "2021-07-11T11:00:00")[0]);
        var august = invoices.Close(August)!;

        invoices.Add(Price("i-3", "t3.small", "2021-07-12T10:00:00", "2021-07-12T12:00:00")[0]);

        Assert.Equal(1, Assert.Single(august.Corrections).Quantity);
        var september = Assert.Single(invoices.Bill(September)!.Corrections);
        Assert.Equal((July, 2m, 0.0418m), (september.CorrectsMonth, september.Quantity, september.Amount));
    }

    [Fact]
    public void Close_LateEarlierPieceTakesFreeHours_DiscountMovesBetweenLines()
    {
        // Mumbai (0.0112, 720 h) had 720 free hours; a late 100-hour Ohio piece (0.0104) that started earlier is served
        // first, leaving Mumbai 650: 70 hours fewer free.
        var invoices = With(Price("i-m", "t3.micro", "2021-07-02T00:00:00", "2021-08-01T00:00:00", Mumbai));
        invoices.Close(July);

        invoices.Add(Price("i-o", "t3.micro", "2021-07-01T00:00:00", "2021-07-05T04:00:00", Ohio)[0]);

        var corrections = invoices.Bill(August)!.Corrections;
        Assert.Equal(
            [("t3.micro", Mumbai, 0m, -0.7840m), ("t3.micro", Ohio, 1.0400m, 1.0400m)],
            corrections.Select(c => (c.Item, c.Region, c.Amount, c.Discount)));
        Assert.Equal(0.7840m, corrections.Sum(c => c.ActualAmount));
    }

    [Fact]
    public void Bill_ClosedMonth_SameFinalBillEveryTime()
    {
        var invoices = With(Price("i-1", "t3.small", "2021-07-10T10:00:00", "2021-07-10T11:00:00"));

        var final = invoices.Close(July);

        Assert.True(invoices.IsClosed(July));
        Assert.Same(final, invoices.Close(July));
        Assert.Same(final, invoices.Bill(July));
    }

    [Fact]
    public void UpsertElasticIp_LongerVersionOfTheHolding_ReplacesTheEarlierOne()
    {
        var invoices = new InvoiceAssembler("CUST001", "ABC Corporation");
        var holding = new ElasticIpHolding("eipalloc-1", ["alloc-1"], "CUST001", Ohio, "52.0.0.1", T("2021-08-01T00:00:00"), T("2021-08-01T05:00:00"), false);

        invoices.UpsertElasticIp(Pricer.PriceElasticIp(holding));
        invoices.UpsertElasticIp(Pricer.PriceElasticIp(holding with { Until = T("2021-08-01T10:00:00") }));

        var line = Assert.Single(invoices.Bill(August)!.ElasticIpLines);
        Assert.Equal((TimeSpan.FromHours(10), 10L, 0.0500m), (line.AllocatedTime, line.BilledHours, line.Amount));
    }

    [Fact]
    public void UpsertElasticIpAttachment_InstanceRunningOnlyPartOfTheTime_IdleHoursCharged()
    {
        var invoices = With(Price("i-1", "t3.small", "2021-08-01T02:00:00", "2021-08-01T05:00:00"));
        invoices.UpsertElasticIp(Pricer.PriceElasticIp(new ElasticIpHolding("a", [], "CUST001", Ohio, "52.0.0.1", T("2021-08-01T00:00:00"), T("2021-08-01T10:00:00"), false)));
        invoices.UpsertElasticIpAttachment(new ElasticIpAttachment("assoc-1", [], "52.0.0.1", "i-1", T("2021-08-01T00:00:00"), T("2021-08-01T10:00:00")));

        Assert.Equal(7, Assert.Single(invoices.Bill(August)!.ElasticIpLines).BilledHours);
    }

    [Fact]
    public void Bill_SpotAndOnDemandOfOneType_SeparateLinesAndSpotNeverFree()
    {
        var card = RateCard.Parse("""
            { "currency": "USD", "versions": [ { "version": "v1", "effectiveFrom": "2021-01-01T00:00:00Z",
                "ec2": [ { "instanceType": "t3.micro", "onDemandPerHour": 0.0104 } ], "freeTierEligible": [ { "instanceType": "t3.micro" } ] } ],
              "spotPrices": [ { "instanceType": "t3.micro", "from": "2021-01-01T00:00:00Z", "perHour": 0.0031 } ] }
            """);
        var pricer = new UsagePricer(card);
        var invoices = new InvoiceAssembler("CUST001", "ABC Corporation");
        foreach (var pricing in new[] { Pricing.Spot, Pricing.OnDemand })
        {
            foreach (var line in pricer.PriceInstance(new InstanceUsage([pricing.ToString()], "CUST001", "i-1", "t3.micro", "", InstanceOs.Linux, pricing, T("2021-08-01T00:00:00"), T("2021-08-01T00:00:00"), T("2021-08-01T10:00:00"))))
            {
                invoices.Add(line);
            }
        }

        var bill = invoices.Bill(August)!;

        Assert.Equal([(Pricing.OnDemand, 10L, 0.1040m), (Pricing.Spot, 0L, 0m)], bill.Lines.Select(l => (l.Pricing, l.FreeHours, l.Discount)));
        Assert.Equal(0.0310m, bill.ActualAmount);
    }

    [Fact]
    public void Bill_RedHatAndLinux_ShareOneAllowance()
    {
        var rates = RegionRates();
        var pricer = new UsagePricer(RateCard.FromInstanceRates(rates, FreeTier(), []));
        var invoices = new InvoiceAssembler("CUST001", "ABC Corporation");
        foreach (var (instance, os) in new[] { ("i-l", InstanceOs.Linux), ("i-r", InstanceOs.RedHat), ("i-w", InstanceOs.Windows) })
        {
            foreach (var line in pricer.PriceInstance(new InstanceUsage([instance], "CUST001", instance, "t3.micro", Ohio, os, Pricing.OnDemand, T("2021-08-01T00:00:00"), T("2021-08-01T00:00:00"), T("2021-08-21T20:00:00"))))
            {
                invoices.Add(line);
            }
        }

        // 500 h each: Linux and Red Hat share 750 free hours, Windows has its own 750.
        Assert.Equal(1250, Line(invoices.Bill(August)!, "t3.micro", Ohio).FreeHours);
    }

    [Fact]
    public void Bill_RateChangedWithinTheMonth_AmountExactAndRateTheAverage()
    {
        var card = RateCard.Parse("""
            { "currency": "USD", "versions": [
              { "version": "v1", "effectiveFrom": "2021-01-01T00:00:00Z", "ec2": [ { "instanceType": "t3.small", "onDemandPerHour": 0.02 } ] },
              { "version": "v2", "effectiveFrom": "2021-08-01T03:00:00Z", "ec2": [ { "instanceType": "t3.small", "onDemandPerHour": 0.05 } ] } ] }
            """);
        var invoices = new InvoiceAssembler("CUST001", "ABC Corporation");
        foreach (var line in new UsagePricer(card).PriceInstance(new InstanceUsage(["x"], "CUST001", "i-1", "t3.small", "", InstanceOs.Linux, Pricing.OnDemand, T("2021-08-01T00:00:00"), T("2021-08-01T00:00:00"), T("2021-08-01T04:00:00"))))
        {
            invoices.Add(line);
        }

        var bill = Line(invoices.Bill(August)!, "t3.small");

        Assert.Equal((4L, 0.1100m, 0.0275m), (bill.BilledHours, bill.Amount, bill.Rate));
    }

    [Fact]
    public void Bill_MeteredService_ServiceLinePerUsageTypeInTheTotal()
    {
        var card = RateCard.Load(RepoFile("infra/rate-card.json"));
        var pricer = new UsagePricer(card);
        var invoices = new InvoiceAssembler("CUST001", "ABC Corporation");
        foreach (var gb in new[] { 6000m, 6000m })
        {
            var usage = new MeteredUsage([$"cdn-{gb}-{invoices.Months.Count}"], "CUST001", BillableService.Cdn, UsageTypes.CdnDataTransferOut, "", "dist-1", T("2024-07-02T00:00:00"), T("2024-07-03T00:00:00"), gb);
            var before = invoices.Bill(new BillingMonth(2024, 7))?.ServiceLines.Sum(l => l.Quantity) ?? 0m;
            foreach (var line in pricer.PriceMetered(usage, _ => before))
            {
                invoices.Add(line);
            }
        }

        var bill = invoices.Bill(new BillingMonth(2024, 7))!;

        Assert.Equal(
            [("DataTransfer-Out-Gb:Tier1", 10240m, 870.4000m), ("DataTransfer-Out-Gb:Tier2", 1760m, 140.8000m)],
            bill.ServiceLines.Select(l => (l.UsageType, l.Quantity, l.Amount)));
        Assert.Equal(1011.2000m, bill.TotalAmount);
    }

    [Fact]
    public void Add_AnySlicingOrderAndReplays_SameBillsAsTheBatchEngine()
    {
        Prop.ForAll(UsageSets(), usage =>
        {
            var input = new BillInput { Customers = TwoCustomers(), Rates = RegionRates(), FreeTier = FreeTier(), Usage = usage };
            var batch = BillCalculator.Calculate(input);
            var rejected = batch.Issues.Select(i => i.Index).ToHashSet();

            // Each valid event becomes hourly slices (as an open session is reported), added in a shuffled order, twice.
            var pricer = new UsagePricer(RateCard.FromInstanceRates(RegionRates(), FreeTier(), []));
            var invoices = new Dictionary<string, InvoiceAssembler>
            {
                ["CUST001"] = new("CUST001", "ABC Corporation"),
                ["CUST002"] = new("CUST002", "XYZ Corporation"),
            };
            var lines = usage.Select((u, i) => (u, i)).Where(p => !rejected.Contains(p.i))
                .SelectMany(p => HourlySlices(p.u, $"event-{p.i}").SelectMany(pricer.PriceInstance))
                .ToList();
            var random = new Random(lines.Count);
            foreach (var line in lines.Concat(lines).OrderBy(_ => random.Next()))
            {
                invoices[CanonicalId.Display(line.CustomerId)].Add(line);
            }

            var streamed = invoices.Values.OrderBy(i => i.CustomerId, StringComparer.Ordinal)
                .SelectMany(i => i.Months.Select(m => i.Bill(m)!));
            return batch.Bills.Select(Describe).SequenceEqual(streamed.Select(Describe));
        }).QuickCheckThrowOnFailure();
    }

    private static IEnumerable<InstanceUsage> HourlySlices(UsageRecord row, string eventId)
    {
        var cut = row.From;
        do
        {
            var next = new DateTimeOffset(cut.Year, cut.Month, cut.Day, cut.Hour, 0, 0, TimeSpan.Zero).AddHours(1);
            var until = next < row.Until ? next : row.Until;
            yield return new InstanceUsage([eventId], row.CustomerId, row.InstanceId, row.InstanceType, row.Region, row.Os, Pricing.OnDemand, row.From, cut, until);
            cut = until;
        }
        while (cut < row.Until);
    }

    private static string Describe(MonthlyBill bill) =>
        $"{bill.CustomerId} {bill.Month} {string.Join(" | ", bill.Lines)} {string.Join(" | ", bill.ElasticIpLines)} {bill.TotalAmount} {bill.TotalDiscount}";

    private static Arbitrary<UsageRecord[]> UsageSets()
    {
        var row =
            from start in Gen.Choose(0, 400 * 24 * 60)
            from minutes in Gen.Frequency((3, Gen.Choose(0, 300)), (2, Gen.Choose(0, 50 * 24 * 60)))
            from customer in Gen.Elements("CUST001", "CUST-002")
            from instance in Gen.Choose(1, 6)
            from type in Gen.Elements("t3.micro", "t2.micro", "t3.small")
            from region in Gen.Elements(Ohio, Mumbai, MiddleEast)
            from os in Gen.Elements(InstanceOs.Linux, InstanceOs.Windows)
            let begin = T("2020-11-01T00:00:00").AddMinutes(start).AddSeconds(start % 61)
            select new UsageRecord(customer, $"i-{instance}", type, region, os, begin, begin.AddMinutes(minutes).AddSeconds(minutes % 7));
        return Gen.ArrayOf(row).Resize(25).ToArbitrary();
    }
}
