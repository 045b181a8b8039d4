using FsCheck;
using FsCheck.Fluent;
using StreamBilling.Billing.Invoicing;
using StreamBilling.Billing.RateCards;
using StreamBilling.Billing.UsagePricing;
using static StreamBilling.Billing.Tests.Fixtures;

namespace StreamBilling.Billing.Tests;

/// <summary>
/// EC2 per-second billing (rate card <c>"billing": "per-second"</c>): whole seconds, 60 at least per session, counted
/// from the session start; m5.large Linux is billed per second at $0.096/h, m5.large Windows per started hour.
/// </summary>
public sealed class PerSecondBillingTests
{
    private const string Card = """
        {
          "currency": "USD",
          "versions": [
            { "version": "v1", "effectiveFrom": "2024-01-01T00:00:00Z",
              "ec2": [ { "region": "us-east-1", "instanceType": "m5.large", "os": "Linux", "onDemandPerHour": 0.096, "reservedPerHour": 0.06, "billing": "per-second" },
                       { "region": "us-east-1", "instanceType": "m5.large", "os": "Windows", "onDemandPerHour": 0.188 },
                       { "region": "us-east-1", "instanceType": "t3.micro", "onDemandPerHour": 0.0104 } ],
              "freeTierEligible": [ { "region": "us-east-1", "instanceType": "t3.micro" } ],
              "elasticIpIdlePerHour": [ { "perHour": 0.005 } ] }
          ],
          "spotPrices": [
            { "region": "us-east-1", "instanceType": "m5.large", "from": "2024-01-01T00:00:00Z", "perHour": 0.03 },
            { "region": "us-east-1", "instanceType": "m5.large", "from": "2024-03-10T12:00:00Z", "perHour": 0.04 }
          ]
        }
        """;

    private static readonly UsagePricer Pricer = new(RateCard.Parse(Card));

    private static InstanceUsage Usage(DateTimeOffset sessionStart, DateTimeOffset from, DateTimeOffset until, Pricing pricing = Pricing.OnDemand, InstanceOs os = InstanceOs.Linux) =>
        new(["launch-1"], "CUST001", "i-1", "m5.large", "us-east-1", os, pricing, sessionStart, from, until);

    private static InstanceUsage Session(string start, TimeSpan length, Pricing pricing = Pricing.OnDemand, InstanceOs os = InstanceOs.Linux) =>
        Usage(T(start), T(start), T(start) + length, pricing, os);

    [Fact]
    public void PriceInstance_SessionShorterThanAMinute_BilledTheSixtySecondMinimum()
    {
        var line = Assert.Single(Pricer.PriceInstance(Session("2024-03-05T10:00:00", TimeSpan.FromSeconds(25))));

        // 60 s = 0.016666667 h (9 places) x 0.096 = 0.0016000000032 -> 0.0016 (6 places).
        Assert.Equal((60L, 0.016666667m, "Hours", 0.096m, 0.0016m), (line.Instance!.BilledSeconds, line.Quantity, line.Unit, line.Rate, line.Amount));
        Assert.Equal(TimeSpan.FromSeconds(25), line.Instance.UsedTime);
    }

    [Fact]
    public void PriceInstance_PartSecond_RoundedUpToTheWholeSecond()
    {
        var line = Assert.Single(Pricer.PriceInstance(Session("2024-03-05T10:00:00", new TimeSpan(0, 0, 2, 5, 300))));

        // 125.3 s -> 126 s = 0.035 h exactly; 0.035 x 0.096 = 0.00336.
        Assert.Equal((126L, 0.035m, 0.00336m), (line.Instance!.BilledSeconds, line.Quantity, line.Amount));
    }

    [Fact]
    public void PriceInstance_SessionAcrossAMonthEnd_MinimumChargedOncePerSession_InTheMonthItStarts()
    {
        // 30 s in January, 40 s in February: 70 s in all, not 60 + 60.
        var lines = Pricer.PriceInstance(Session("2024-01-31T23:59:30", TimeSpan.FromSeconds(70)));

        Assert.Equal(
            [(new BillingMonth(2024, 1), 60L, 0.016666667m), (new BillingMonth(2024, 2), 10L, 0.002777777m)],
            lines.Select(l => (l.Month, l.Instance!.BilledSeconds!.Value, l.Quantity)));
        Assert.Equal(0.019444444m, lines.Sum(l => l.Quantity)); // round(70 / 3600, 9): the pieces add up to the session
    }

    [Fact]
    public void PriceInstance_AnyCutsOfASession_SecondsAndHoursAddUpToTheWholeSession()
    {
        var sessions =
            from startSecond in Gen.Choose(0, 40 * 24 * 3600)
            from millis in Gen.Choose(0, 3 * 24 * 3600 * 1000)
            from cuts in Gen.ListOf(Gen.Choose(0, 1000))
            select (Start: T("2024-01-20T00:00:00").AddSeconds(startSecond), Length: TimeSpan.FromMilliseconds(millis), Cuts: cuts);

        Prop.ForAll(sessions.ToArbitrary(), session =>
        {
            var until = session.Start + session.Length;
            var points = session.Cuts.Select(c => session.Start + (session.Length * c / 1000)).Append(session.Start).Append(until).Distinct().Order().ToList();
            var sliced = points.Zip(points.Skip(1)).SelectMany(p => Pricer.PriceInstance(Usage(session.Start, p.First, p.Second))).ToList();
            var expectedSeconds = session.Length == TimeSpan.Zero ? 0 : Math.Max(60, (long)Math.Ceiling(session.Length.TotalMilliseconds / 1000));

            return sliced.Sum(l => l.Instance!.BilledSeconds!.Value) == expectedSeconds
                && sliced.Sum(l => l.Quantity) == Math.Round(expectedSeconds / 3600m, 9, MidpointRounding.AwayFromZero);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void PriceInstance_EntryWithoutTheOption_StaysWholeStartedHours()
    {
        var line = Assert.Single(Pricer.PriceInstance(Session("2024-03-05T10:00:00", TimeSpan.FromSeconds(25), os: InstanceOs.Windows)));

        Assert.Equal((1m, (long?)null, 0.188m), (line.Quantity, line.Instance!.BilledSeconds, line.Amount));
    }

    [Fact]
    public void PriceInstance_SpotPerSecond_CutAtTheInstantTheSpotPriceChanges()
    {
        var lines = Pricer.PriceInstance(Session("2024-03-10T11:59:00", TimeSpan.FromSeconds(150), Pricing.Spot));

        Assert.Equal(
            [(T("2024-03-10T11:59:00"), 60L, 0.03m), (T("2024-03-10T12:00:00"), 90L, 0.04m)],
            lines.Select(l => (l.UsageStart, l.Instance!.BilledSeconds!.Value, l.Rate)));
        Assert.All(lines, l => Assert.Equal("SpotUsage:m5.large:Linux", l.UsageType));
    }

    [Fact]
    public void PriceReservedMonth_PerSecondEntry_ReservedHoursStayWholeHours()
    {
        var term = new ReservedInstanceTerm(["ri-1"], "CUST001", "i-1", "m5.large", "us-east-1", InstanceOs.Linux, new BillingMonth(2024, 2), new BillingMonth(2024, 2));

        var line = Pricer.PriceReservedMonth(term, new BillingMonth(2024, 2));

        Assert.Equal((24m * 29, 0.06m, (long?)null), (line.Quantity, line.Rate, line.Instance!.BilledSeconds));
    }

    [Fact]
    public void Bill_PerSecondLines_OneServiceLineOfTheUsageType_AmountOfTheSummedHours()
    {
        var invoices = new InvoiceAssembler("CUST001", "ABC Corporation");
        foreach (var line in Pricer.PriceInstance(Session("2024-03-05T10:00:00", TimeSpan.FromSeconds(25)))
            .Concat(Pricer.PriceInstance(Session("2024-03-06T10:00:00", TimeSpan.FromMinutes(90)))))
        {
            invoices.Add(line);
        }

        var bill = invoices.Bill(new BillingMonth(2024, 3))!;

        // 60 s + 5,400 s = 1.516666667 h (0.016666667 + 1.5) x 0.096 = 0.1456000000 -> 0.1456.
        Assert.Empty(bill.Lines);
        var service = Assert.Single(bill.ServiceLines);
        Assert.Equal(
            (BillableService.Ec2, "us-east-1", "BoxUsage:m5.large:Linux", 1, 1.516666667m, "Hours", 0.1456m),
            (service.Service, service.Region, service.UsageType, service.Resources, service.Quantity, service.Unit, service.Amount));
        Assert.Equal(0.1456m, bill.TotalAmount);
    }

    [Fact]
    public void Bill_ElasticIpOnAnInstanceBilledPerSecond_NotIdleWhileTheInstanceRuns()
    {
        var invoices = new InvoiceAssembler("CUST001", "ABC Corporation");
        foreach (var line in Pricer.PriceInstance(Usage(T("2024-03-05T02:00:00"), T("2024-03-05T02:00:00"), T("2024-03-05T05:00:00"))))
        {
            invoices.Add(line);
        }

        invoices.UpsertElasticIp(Pricer.PriceElasticIp(new ElasticIpHolding("a", [], "CUST001", "us-east-1", "52.0.0.1", T("2024-03-05T00:00:00"), T("2024-03-05T10:00:00"), false)));
        invoices.UpsertElasticIpAttachment(new ElasticIpAttachment("assoc-1", [], "52.0.0.1", "i-1", T("2024-03-05T00:00:00"), T("2024-03-05T10:00:00")));

        // Held 10 hours, attached to i-1 throughout, which ran 02:00-05:00: 7 idle hours.
        Assert.Equal(7, Assert.Single(invoices.Bill(new BillingMonth(2024, 3))!.ElasticIpLines).BilledHours);
    }

    [Fact]
    public void Parse_UnknownBilling_RateCardExceptionNamingTheEntry()
    {
        var error = Assert.Throws<RateCardException>(() => RateCard.Parse(Card.Replace("\"billing\": \"per-second\"", "\"billing\": \"per-minute\"", StringComparison.Ordinal)));

        Assert.Contains("version 'v1': ec2 m5.large Linux in 'us-east-1': billing 'per-minute' is neither 'per-hour' nor 'per-second'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_FreeTierTypeBilledPerSecond_Refused()
    {
        var card = Card.Replace("\"instanceType\": \"t3.micro\", \"onDemandPerHour\": 0.0104", "\"instanceType\": \"t3.micro\", \"onDemandPerHour\": 0.0104, \"billing\": \"per-second\"", StringComparison.Ordinal);

        var error = Assert.Throws<RateCardException>(() => RateCard.Parse(card));

        Assert.Contains("ec2 t3.micro any OS in 'us-east-1' is billed per second, but t3.micro is a free-tier type", error.Message, StringComparison.Ordinal);
    }
}
