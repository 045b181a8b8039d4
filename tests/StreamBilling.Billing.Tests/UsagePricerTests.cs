using FsCheck;
using FsCheck.Fluent;
using StreamBilling.Billing.Invoicing;
using StreamBilling.Billing.RateCards;
using StreamBilling.Billing.UsagePricing;
using static StreamBilling.Billing.Tests.Fixtures;

namespace StreamBilling.Billing.Tests;

public sealed class UsagePricerTests
{
    private const string Card = """
        {
          "currency": "USD",
          "versions": [
            { "version": "v1", "effectiveFrom": "2021-01-01T00:00:00Z",
              "ec2": [ { "region": "us-east-1", "instanceType": "t3.micro", "onDemandPerHour": 0.0104, "reservedPerHour": 0.0065 },
                       { "region": "us-east-1", "instanceType": "t3.micro", "os": "Windows", "onDemandPerHour": 0.0196 } ],
              "freeTierEligible": [ { "region": "us-east-1", "instanceType": "t3.micro" } ],
              "elasticIpIdlePerHour": [ { "perHour": 0.005 } ],
              "metered": [
                { "service": "Cdn", "usageType": "DataTransfer-Out-Gb", "unit": "GB",
                  "tiers": [ { "upTo": 10, "perUnit": 0.085 }, { "upTo": 50, "perUnit": 0.080 }, { "perUnit": 0.060 } ] },
                { "service": "S3", "usageType": "TimedStorage-GbMonth", "unit": "GB-Months", "perUnit": 0.023 },
                { "service": "S3", "usageType": "Requests-Tier2", "unit": "Requests", "perUnit": 0.0000004 },
                { "service": "MediaLive", "usageType": "Input-Hours", "unit": "Hours", "perUnit": 0.08 },
                { "service": "MediaLive", "usageType": "Output-Hours", "unit": "Hours", "perUnit": 0.30 } ] },
            { "version": "v2", "effectiveFrom": "2021-08-10T12:00:00Z",
              "ec2": [ { "region": "us-east-1", "instanceType": "t3.micro", "onDemandPerHour": 0.0200, "reservedPerHour": 0.0070 } ] }
          ],
          "spotPrices": [
            { "region": "us-east-1", "instanceType": "t3.micro", "from": "2021-01-01T00:00:00Z", "perHour": 0.0030 },
            { "region": "us-east-1", "instanceType": "t3.micro", "from": "2021-08-01T02:00:00Z", "perHour": 0.0040 }
          ]
        }
        """;

    private static readonly UsagePricer Pricer = new(RateCard.Parse(Card));

    private static InstanceUsage Usage(string sessionStart, string from, string until, Pricing pricing = Pricing.OnDemand, InstanceOs os = InstanceOs.Linux) =>
        new(["launch-1"], "CUST001", "i-1", "t3.micro", "us-east-1", os, pricing, T(sessionStart), T(from), T(until));

    [Fact]
    public void PriceInstance_WholeEventAcrossMonths_SameHoursAsTheBillEngine()
    {
        var lines = Pricer.PriceInstance(Usage("2021-06-18T10:00:00", "2021-06-18T10:00:00", "2021-08-01T05:30:45"));

        Assert.Equal([302m, 744m, 6m], lines.Select(l => l.Quantity));
        Assert.Equal([new BillingMonth(2021, 6), new BillingMonth(2021, 7), new BillingMonth(2021, 8)], lines.Select(l => l.Month));
        Assert.Equal([T("2021-06-18T10:00:00"), T("2021-07-01T00:00:00"), T("2021-08-01T00:00:00")], lines.Select(l => l.Instance!.PieceStart));
    }

    [Fact]
    public void PriceInstance_AnyCutsOfASession_HoursAndUsedTimeAddUpToTheWholeEvent()
    {
        var sessions =
            from startMinute in Gen.Choose(0, 40 * 24 * 60)
            from seconds in Gen.Choose(0, 50 * 24 * 3600)
            from cuts in Gen.ListOf(Gen.Choose(0, 1000))
            select (Start: T("2021-05-20T00:00:00").AddMinutes(startMinute).AddSeconds(startMinute % 59), Seconds: seconds, Cuts: cuts);

        Prop.ForAll(sessions.ToArbitrary(), session =>
        {
            var until = session.Start.AddSeconds(session.Seconds);
            var points = session.Cuts.Select(c => session.Start.AddSeconds((long)session.Seconds * c / 1000)).Append(session.Start).Append(until).Distinct().Order().ToList();
            var sliced = points.Zip(points.Skip(1))
                .SelectMany(p => Pricer.PriceInstance(Usage2(session.Start, p.First, p.Second)))
                .ToList();
            var whole = Pricer.PriceInstance(Usage2(session.Start, session.Start, until));

            // Per month: the same hours and the same amount (a rate card change mid-session splits both alike).
            return whole.GroupBy(w => w.Month).All(month =>
                    sliced.Where(s => s.Month == month.Key).Sum(s => s.Quantity) == month.Sum(w => w.Quantity)
                    && sliced.Where(s => s.Month == month.Key).Sum(s => s.Quantity * s.Rate) == month.Sum(w => w.Quantity * w.Rate))
                && sliced.Aggregate(TimeSpan.Zero, (sum, s) => sum + s.Instance!.UsedTime) == until - session.Start;
        }).QuickCheckThrowOnFailure();

        static InstanceUsage Usage2(DateTimeOffset start, DateTimeOffset from, DateTimeOffset until) =>
            new(["launch-1"], "CUST001", "i-1", "t3.micro", "us-east-1", InstanceOs.Linux, Pricing.OnDemand, start, from, until);
    }

    [Fact]
    public void PriceInstance_RateCardChangeMidSession_HoursStartingAfterTheChangeAtTheNewRate()
    {
        // Hours start at 10:30, 11:30, 12:30, 13:30: the first two under v1, the last two under v2 (from 12:00).
        var lines = Pricer.PriceInstance(Usage("2021-08-10T10:30:00", "2021-08-10T10:30:00", "2021-08-10T14:00:00"));

        Assert.Equal([(2m, 0.0104m, "v1"), (2m, 0.0200m, "v2")], lines.Select(l => (l.Quantity, l.Rate, l.RateCardVersion)));
        Assert.Equal(T("2021-08-10T12:30:00"), lines[1].UsageStart);
        Assert.Equal([true, false], lines.Select(l => l.Instance!.FreeTierEligible)); // v2 has no free tier
    }

    [Fact]
    public void PriceInstance_Spot_EachHourAtTheSpotPriceWhenItStartsAndNeverFree()
    {
        var lines = Pricer.PriceInstance(Usage("2021-08-01T00:30:00", "2021-08-01T00:30:00", "2021-08-01T03:10:00", Pricing.Spot));

        // Hours start 00:30, 01:30 (0.0030) and 02:30 (0.0040, in force from 02:00).
        Assert.Equal([(2m, 0.0030m), (1m, 0.0040m)], lines.Select(l => (l.Quantity, l.Rate)));
        Assert.All(lines, l => Assert.Equal(("SpotUsage:t3.micro:Linux", false), (l.UsageType, l.Instance!.FreeTierEligible)));
    }

    [Fact]
    public void PriceInstance_SliceInWhichNoHourStarts_ZeroHoursButUsedTimeAndResource()
    {
        // The session's first hour started at 10:20 and was charged to the earlier slice.
        var line = Assert.Single(Pricer.PriceInstance(Usage("2021-08-10T10:20:00", "2021-08-10T11:00:00", "2021-08-10T11:15:00")));

        Assert.Equal((0m, TimeSpan.FromMinutes(15), T("2021-08-10T10:20:00")), (line.Quantity, line.Instance!.UsedTime, line.Instance.PieceStart));
    }

    [Fact]
    public void PriceInstance_EligibleTypeOnDemand_MarkedFreeTierEligible()
    {
        var line = Assert.Single(Pricer.PriceInstance(Usage("2021-07-01T00:00:00", "2021-07-01T00:00:00", "2021-07-01T05:00:00", os: InstanceOs.Windows)));

        Assert.Equal((0.0196m, true, "BoxUsage:t3.micro:Windows"), (line.Rate, line.Instance!.FreeTierEligible, line.UsageType));
    }

    [Fact]
    public void PriceInstance_NoRate_RateCardExceptionNamesTypeAndRegion()
    {
        var usage = Usage("2021-07-01T00:00:00", "2021-07-01T00:00:00", "2021-07-01T05:00:00") with { Region = "eu-west-1" };

        var error = Assert.Throws<RateCardException>(() => Pricer.PriceInstance(usage));

        Assert.Contains("no rate for t3.micro (Linux) in eu-west-1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PriceReservation_LeapFebruary_696HoursAtTheReservedRate()
    {
        var term = new ReservedInstanceTerm(["ri-1"], "CUST001", "i-r", "t3.micro", "us-east-1", InstanceOs.Linux, new BillingMonth(2024, 1), new BillingMonth(2024, 3));

        var lines = Pricer.PriceReservation(term);

        Assert.Equal([744m, 696m, 744m], lines.Select(l => l.Quantity));
        Assert.All(lines, l => Assert.Equal((0.0070m, Pricing.Reserved, BillableService.ReservedInstance), (l.Rate, l.Instance!.Pricing, l.Service)));
    }

    [Fact]
    public void PriceMetered_CrossingTiers_OneLinePerTierAtItsRate()
    {
        var usage = new MeteredUsage(["cdn-1"], "CUST001", BillableService.Cdn, UsageTypes.CdnDataTransferOut, "", "dist-1", T("2021-08-02T00:00:00"), T("2021-08-02T01:00:00"), 48m);

        var lines = Pricer.PriceMetered(usage, _ => 8m);

        Assert.Equal(
            [("DataTransfer-Out-Gb:Tier1", 2m, 0.085m), ("DataTransfer-Out-Gb:Tier2", 40m, 0.080m), ("DataTransfer-Out-Gb:Tier3", 6m, 0.060m)],
            lines.Select(l => (l.UsageType, l.Quantity, l.Rate)));
    }

    [Fact]
    public void PriceMetered_AnyChunking_SameAmountAsTheWholeMonthAtOnce()
    {
        Prop.ForAll(Gen.ListOf(Gen.Choose(0, 20_000)).ToArbitrary(), chunks =>
        {
            decimal before = 0, amount = 0;
            foreach (var chunk in chunks)
            {
                var quantity = chunk / 1000m;
                var start = before;
                amount += Pricer.PriceMetered(Cdn(quantity), _ => start).Sum(l => l.Quantity * l.Rate);
                before += quantity;
            }

            return amount == Pricer.PriceMetered(Cdn(before)).Sum(l => l.Quantity * l.Rate);
        }).QuickCheckThrowOnFailure();

        static MeteredUsage Cdn(decimal gb) =>
            new(["c"], "CUST001", BillableService.Cdn, UsageTypes.CdnDataTransferOut, "", "dist-1", T("2021-08-02T00:00:00"), T("2021-08-02T01:00:00"), gb);
    }

    [Fact]
    public void PriceMetered_PeriodAcrossMonthEnd_QuantitySharedByTimeAndExact()
    {
        var usage = new MeteredUsage(["s3-1"], "CUST001", BillableService.S3, UsageTypes.S3ReadRequests, "us-east-1", "bucket", T("2021-07-31T23:00:00"), T("2021-08-01T02:00:00"), 1000m);

        var lines = Pricer.PriceMetered(usage);

        Assert.Equal([333.333333333m, 666.666666667m], lines.Select(l => l.Quantity));
        Assert.Equal(1000m, lines.Sum(l => l.Quantity));
    }

    [Fact]
    public void PriceMetered_S3StorageInGbHours_PricedPerGbMonth()
    {
        var usage = new MeteredUsage(["s3-2"], "CUST001", BillableService.S3, UsageTypes.S3Storage, "us-east-1", "bucket", T("2021-08-01T00:00:00"), T("2021-08-02T00:00:00"), 7440m);

        var line = Assert.Single(Pricer.PriceMetered(usage));

        Assert.Equal((10m, "GB-Months", 0.23m), (line.Quantity, line.Unit, line.Amount));
    }

    [Fact]
    public void PriceChannel_StartedHoursTimesInputsAndOutputs()
    {
        var usage = new ChannelUsage(["ml-1"], "CUST001", "ch-1", "us-east-1", T("2021-08-01T10:00:00"), T("2021-08-01T10:00:00"), T("2021-08-01T12:10:00"), 1, 4);

        var lines = Pricer.PriceChannel(usage);

        Assert.Equal([(UsageTypes.MediaLiveInputHours, 3m, 0.24m), (UsageTypes.MediaLiveOutputHours, 12m, 3.6m)], lines.Select(l => (l.UsageType, l.Quantity, l.Amount)));
    }

    [Fact]
    public void LineId_SameUsagePricedAgain_SameIdAndOtherEventsOtherId()
    {
        var first = Pricer.PriceInstance(Usage("2021-07-01T00:00:00", "2021-07-01T00:00:00", "2021-07-01T05:00:00"))[0];
        var again = Pricer.PriceInstance(Usage("2021-07-01T00:00:00", "2021-07-01T00:00:00", "2021-07-01T05:00:00"))[0];
        var other = Pricer.PriceInstance(Usage("2021-07-01T00:00:00", "2021-07-01T00:00:00", "2021-07-01T05:00:00") with { SourceEventIds = ["launch-2"] })[0];

        Assert.Equal(first.LineId, again.LineId);
        Assert.NotEqual(first.LineId, other.LineId);
        Assert.Equal(32, first.LineId.Length);
    }

    [Fact]
    public void PriceElasticIp_OwnIpFree_OtherAtTheRegionRate()
    {
        var held = new ElasticIpHolding("eip-1", ["a-1"], "CUST001", "us-east-1", "52.0.0.1", T("2021-08-01T00:00:00"), T("2021-08-02T00:00:00"), IsOwnIp: false);

        Assert.Equal(0.005m, Pricer.PriceElasticIp(held).PerHour);
        Assert.Equal(0m, Pricer.PriceElasticIp(held with { IsOwnIp = true }).PerHour);
    }
}
