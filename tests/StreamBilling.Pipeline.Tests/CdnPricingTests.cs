using StreamBilling.Billing;
using StreamBilling.Billing.RateCards;
using StreamBilling.Billing.UsagePricing;
using StreamBilling.Contracts;
using StreamBilling.Events.Cdn;
using StreamBilling.Events.Common;
using StreamBilling.Events.Media;
using StreamBilling.Events.Outputs;
using StreamBilling.Kafka;
using StreamBilling.Pipeline.Pricing;
using StreamBilling.Streams.Testing;

namespace StreamBilling.Pipeline.Tests;

/// <summary>
/// Pricing on CDN traffic (Cost Explorer figures, graduated per-GB tiers from the month-to-date GB per customer)
/// and media egress, with the repository's rate card: September 2024 is priced by version 2024-08, whose CDN tiers are
/// 0.083 up to 10,240 GB, 0.08 up to 51,200 GB, then 0.06 and 0.04.
/// </summary>
public sealed class CdnPricingTests : IDisposable
{
    private static readonly RateCard Card = RateCard.Load(Path.Combine(AppContext.BaseDirectory, "infra", "rate-card.json"));
    private static readonly UsagePricer Pricer = new(Card);

    private readonly AvroSerdes _serdes = new(new InMemorySchemaRegistryClient());
    private TopologyTestDriver _driver;
    private TestInputTopic<string, CdnTraffic> _traffic;
    private TestOutputTopic<string, PricedLineItem> _priced;

    public CdnPricingTests() => (_driver, _traffic, _priced) = Start();

    [Fact]
    public void FigureCrossingATierBoundary_IsSplitAcrossBothTiers_FromTheMonthToDateGb()
    {
        Price(Figure("ce-1", "2024-09-01", 10_000));

        var lines = Price(Figure("ce-2", "2024-09-02", 500));

        Assert.Equal(
            [("DataTransfer-Out-Gb:Tier1", 240m, 0.083m, 19.92m), ("DataTransfer-Out-Gb:Tier2", 260m, 0.08m, 20.8m)],
            lines.Select(l => (l.usageType, Dec(l.quantity), Dec(l.rate), Dec(l.amount))));
        Assert.Equal(Library(Figure("ce-2", "2024-09-02", 500), before: 10_000), lines.Select(Figures));
        Assert.All(lines, l => Assert.Equal(["ce-2"], l.sourceEventIds));
        Assert.All(lines, l => Assert.Equal(("CUST001", ServiceKind.Cdn, "dist-CUST001", "2024-09"), (l.accountId, l.service, l.resourceId, l.billingMonth)));
    }

    [Fact]
    public void ReplayedFigure_GivesTheSameLinesUnderTheSameIds_AndIsCountedOnce()
    {
        var first = Price(Figure("ce-1", "2024-09-01", 10_000));

        var replay = Price(Figure("ce-1", "2024-09-01", 10_000));
        var next = Price(Figure("ce-2", "2024-09-02", 500));

        Assert.Equal(first.Select(l => (l.eventId, Figures(l))), replay.Select(l => (l.eventId, Figures(l))));
        Assert.Equal([240m, 260m], next.Select(l => Dec(l.quantity))); // from 10,000 GB, not 20,000
    }

    [Fact]
    public void NewMonth_StartsAgainAtTheFirstTier()
    {
        Price(Figure("ce-1", "2024-09-29", 10_300));

        var october = Price(Figure("ce-2", "2024-10-01", 100));

        Assert.Equal([("DataTransfer-Out-Gb:Tier1", 100m, "2024-10")], october.Select(l => (l.usageType, Dec(l.quantity), l.billingMonth)));
    }

    [Fact]
    public void MonthToDate_SurvivesARestart_FromTheChangelog()
    {
        Price(Figure("ce-1", "2024-09-01", 10_000));
        var changelog = _driver.GetChangelog(new PricingOptions { RateCard = Card }.CdnStoreName);
        _driver.Dispose();
        (_driver, _traffic, _priced) = Start();
        _driver.RestoreStore(new PricingOptions { RateCard = Card }.CdnStoreName, changelog);

        var lines = Price(Figure("ce-2", "2024-09-02", 500));

        Assert.Equal([240m, 260m], lines.Select(l => Dec(l.quantity)));
    }

    [Fact]
    public void Lines_AreStampedWithTheEndOfTheFiguresPeriod_NotItsLatePublication()
    {
        var figure = Figure("ce-1", "2024-09-01", 10);
        _traffic.PipeInput(figure.customerId, figure, T.At("2024-09-03T05:00:00Z"));

        Assert.Equal([T.At("2024-09-02T00:00:00Z")], _priced.ReadRecordsToList().Select(r => r.Timestamp));
    }

    [Fact]
    public void CloudWatchSampleOnTheFigureTopic_IsNotBilled_AndGoesToTheLateTopic()
    {
        var late = _driver.CreateLateRecordsTopic();
        var sample = CdnEvents.CloudWatch("cw-1", "CUST001", T.At("2024-09-01T10:00:00Z"), 50);

        Assert.Empty(Price(sample));
        Assert.StartsWith("wrong-data-source", Assert.Single(late.ReadLate(_serdes.For<CdnTraffic>())).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void CustomersCountTheirOwnMonthToDate()
    {
        Price(Figure("ce-1", "2024-09-01", 10_000));

        var other = Price(Figure("ce-2", "2024-09-02", 500, customer: "CUST002"));

        Assert.Equal([("DataTransfer-Out-Gb:Tier1", 500m)], other.Select(l => (l.usageType, Dec(l.quantity))));
    }

    [Fact]
    public void MediaEgress_IsPricedPerGb_AsTheLibraryPricesIt()
    {
        var package = _driver.CreateInputTopic(Topics.MediaPackageEgress, Streams.Serdes.Utf8, _serdes.For<MediaPackageEgress>());
        var breakout = _driver.CreateInputTopic(Topics.CloudFrontEgress, Streams.Serdes.Utf8, _serdes.For<CloudFrontEgress>());
        var (from, until) = (T.At("2024-09-01T10:00:00Z"), T.At("2024-09-01T11:00:00Z"));

        package.PipeInput("CUST001", new MediaPackageEgress
        {
            eventId = "mp-1",
            source = "test",
            accountId = "CUST001",
            channelId = "ch-1",
            region = "us-east-1",
            periodStart = from.UtcDateTime,
            periodEnd = until.UtcDateTime,
            bytesDownloaded = 12_500_000_000,
        }, from);
        breakout.PipeInput("CUST001", new CloudFrontEgress
        {
            eventId = "cf-1",
            source = "test",
            accountId = "CUST001",
            distributionId = "dist-1",
            region = "us-east-1",
            periodStart = from.UtcDateTime,
            periodEnd = until.UtcDateTime,
            bytes = 2_000_000_000,
        }, from);
        var lines = _priced.ReadRecordsToList().Select(r => r.Value).ToList();

        var expected = Pricer.PriceMetered(new MeteredUsage(["mp-1"], "CUST001", BillableService.MediaPackage, UsageTypes.MediaPackageEgress, "us-east-1", "ch-1", from, until, 12.5m))
            .Concat(Pricer.PriceMetered(new MeteredUsage(["cf-1"], "CUST001", BillableService.CloudFront, UsageTypes.CloudFrontEgress, "us-east-1", "dist-1", from, until, 2m)))
            .Select(l => (l.UsageType, l.Quantity, l.Rate, l.Amount));
        Assert.Equal(expected, lines.Select(Figures));
        Assert.Equal([(ServiceKind.MediaPackage, 0.625m), (ServiceKind.CloudFront, 0.17m)], lines.Select(l => (l.service, Dec(l.amount))));
    }

    public void Dispose() => _driver.Dispose();

    private static CdnTraffic Figure(string eventId, string day, long gb, string customer = "CUST001")
    {
        var start = T.At(day + "T00:00:00Z");
        return CdnEvents.CostExplorer(eventId, customer, start, start.AddDays(1), gb * CdnEvents.Gb);
    }

    private static IEnumerable<(string, decimal, decimal, decimal)> Library(CdnTraffic figure, decimal before) =>
        Pricer.PriceMetered(
                new MeteredUsage([figure.eventId], figure.customerId, BillableService.Cdn, UsageTypes.CdnDataTransferOut, string.Empty, figure.distributionId,
                    new DateTimeOffset(figure.periodStart, TimeSpan.Zero), new DateTimeOffset(figure.periodEnd, TimeSpan.Zero), figure.bytes / 1_000_000_000m),
                _ => before)
            .Select(l => (l.UsageType, l.Quantity, l.Rate, l.Amount));

    private static (string, decimal, decimal, decimal) Figures(PricedLineItem line) => (line.usageType, Dec(line.quantity), Dec(line.rate), Dec(line.amount));

    /// <summary>The value without the Avro schema's trailing zeros.</summary>
    private static decimal Dec(Avro.AvroDecimal value) => Avro.AvroDecimal.ToDecimal(value) / 1.0000000000000000000000000000m;

    private List<PricedLineItem> Price(CdnTraffic figure)
    {
        _traffic.PipeInput(figure.customerId, figure, new DateTimeOffset(figure.periodEnd, TimeSpan.Zero).AddHours(24));
        return [.. _priced.ReadRecordsToList().Select(r => r.Value)];
    }

    private (TopologyTestDriver, TestInputTopic<string, CdnTraffic>, TestOutputTopic<string, PricedLineItem>) Start()
    {
        var driver = new TopologyTestDriver(PricingTopology.Build(_serdes, new PricingOptions { RateCard = Card }));
        return (
            driver,
            driver.CreateInputTopic(Topics.CdnCostExplorer, Streams.Serdes.Utf8, _serdes.For<CdnTraffic>()),
            driver.CreateOutputTopic(Topics.PricedLines, Streams.Serdes.Utf8, _serdes.For<PricedLineItem>()));
    }
}
