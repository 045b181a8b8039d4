using StreamBilling.Billing.RateCards;
using StreamBilling.Contracts;
using StreamBilling.Events.Cdn;
using StreamBilling.Events.Common;
using StreamBilling.Events.Outputs;
using StreamBilling.Kafka;
using StreamBilling.Pipeline.Invoicing;
using StreamBilling.Pipeline.Pricing;
using StreamBilling.Streams.Testing;

namespace StreamBilling.Pipeline.Tests;

/// <summary>
/// Volume tiers and per-second EC2 billing through the pricing and invoice topologies (test drivers, real Avro
/// serdes): CDN transfer in volume tiers (up to 10 GB $0.085, up to 50 GB $0.08, above $0.06), m5.large Linux billed
/// per second at $0.096/h.
/// </summary>
public sealed class PricingRulesPipelineTests : IDisposable
{
    private static readonly RateCard Card = RateCard.Parse("""
        {
          "currency": "USD",
          "versions": [
            { "version": "v1", "effectiveFrom": "2024-01-01T00:00:00Z",
              "ec2": [ { "region": "us-east-1", "instanceType": "m5.large", "os": "Linux", "onDemandPerHour": 0.096, "billing": "per-second" } ],
              "metered": [
                { "service": "Cdn", "usageType": "DataTransfer-Out-Gb", "unit": "GB", "tierMode": "volume",
                  "tiers": [ { "upTo": 10, "perUnit": 0.085 }, { "upTo": 50, "perUnit": 0.080 }, { "perUnit": 0.060 } ] } ] }
          ]
        }
        """);

    private readonly AvroSerdes _serdes = new(new InMemorySchemaRegistryClient());
    private readonly TopologyTestDriver _pricing;
    private readonly TopologyTestDriver _invoicing;
    private readonly TestInputTopic<string, CdnTraffic> _traffic;
    private readonly TestInputTopic<string, UsageSegment> _segments;
    private readonly TestOutputTopic<string, PricedLineItem> _priced;
    private readonly TestInputTopic<string, PricedLineItem> _lines;
    private readonly TestOutputTopic<string, Invoice> _invoices;

    public PricingRulesPipelineTests()
    {
        _pricing = new TopologyTestDriver(PricingTopology.Build(_serdes, new PricingOptions { RateCard = Card }));
        _traffic = _pricing.CreateInputTopic(Topics.CdnCostExplorer, Streams.Serdes.Utf8, _serdes.For<CdnTraffic>());
        _segments = _pricing.CreateInputTopic(Topics.UsageSegments, Streams.Serdes.Utf8, _serdes.For<UsageSegment>());
        _priced = _pricing.CreateOutputTopic(Topics.PricedLines, Streams.Serdes.Utf8, _serdes.For<PricedLineItem>());
        _invoicing = new TopologyTestDriver(InvoiceTopology.Build(_serdes, new InvoiceOptions { RateCard = Card }));
        _lines = _invoicing.CreateInputTopic(Topics.PricedLines, Streams.Serdes.Utf8, _serdes.For<PricedLineItem>());
        _invoices = _invoicing.CreateOutputTopic(Topics.Invoices, Streams.Serdes.Utf8, _serdes.For<Invoice>());
    }

    [Fact]
    public void VolumeTiers_FigureMovingTheMonthToACheaperTier_CorrectionLinesArePublished_AndTheInvoiceTotalsTheMonthAtItsTier()
    {
        var lines = Price(Figure("ce-1", "2024-03-01", 8)).Concat(Price(Figure("ce-2", "2024-03-02", 5))).Concat(Price(Figure("ce-3", "2024-03-03", 40))).ToList();

        Assert.Equal(
            [
                ("DataTransfer-Out-Gb:Tier1", 8m, 0.68m, false),
                ("DataTransfer-Out-Gb:Tier2", 5m, 0.40m, false), ("DataTransfer-Out-Gb:Tier1", -8m, -0.68m, true), ("DataTransfer-Out-Gb:Tier2", 8m, 0.64m, true),
                ("DataTransfer-Out-Gb:Tier3", 40m, 2.40m, false), ("DataTransfer-Out-Gb:Tier2", -13m, -1.04m, true), ("DataTransfer-Out-Gb:Tier3", 13m, 0.78m, true),
            ],
            lines.Select(l => (l.Value.usageType, BillingDriver.Money(l.Value.quantity), BillingDriver.Money(l.Value.amount), l.Value.isVolumeTierCorrection)));
        Assert.Equal(lines.Count, lines.Select(l => l.Value.eventId).Distinct().Count());

        var invoice = Bill(lines).Last();

        // 53 GB in March reach the third tier: 53 x 0.06.
        Assert.Equal(("2024-03", 3.18m), (invoice.billingMonth, BillingDriver.Money(invoice.totalAmount)));
        Assert.Equal(
            [("DataTransfer-Out-Gb:Tier1", 0m), ("DataTransfer-Out-Gb:Tier2", 0m), ("DataTransfer-Out-Gb:Tier3", 3.18m)],
            invoice.lines.Select(l => (l.resourceType, BillingDriver.Money(l.amount))));
    }

    [Fact]
    public void VolumeTiers_RedeliveredFigure_SameLinesUnderTheSameIds_NoSecondCorrection()
    {
        var first = Price(Figure("ce-1", "2024-03-01", 8)).Concat(Price(Figure("ce-2", "2024-03-02", 5))).ToList();
        var invoices = Bill(first);

        var redelivered = Price(Figure("ce-2", "2024-03-02", 5));

        Assert.Equal(
            first.Skip(1).Select(l => (l.Value.eventId, l.Value.usageType, BillingDriver.Money(l.Value.quantity), BillingDriver.Money(l.Value.amount))),
            redelivered.Select(l => (l.Value.eventId, l.Value.usageType, BillingDriver.Money(l.Value.quantity), BillingDriver.Money(l.Value.amount))));
        Assert.Empty(Bill(redelivered)); // nothing changed on the invoice
        Assert.Equal(1.04m, BillingDriver.Money(invoices.Last().totalAmount)); // 13 GB x 0.08

        // A later figure is priced from 13 GB, not 18: the redelivery was not counted again.
        var next = Price(Figure("ce-3", "2024-03-03", 40));
        Assert.Equal([40m, -13m, 13m], next.Select(l => BillingDriver.Money(l.Value.quantity)));
        Assert.Equal(3.18m, BillingDriver.Money(Bill(next).Last().totalAmount));
    }

    [Fact]
    public void PerSecond_SlicesOfASession_PricedInSeconds_OnTheWireAndOnTheInvoice()
    {
        // Launched 10:59:30, terminated 11:01:10: a slice to the hour and a final slice; 100 s in all.
        var lines = Price(Slice("s-1", "2024-03-05T10:59:30", "2024-03-05T11:00:00", final: false))
            .Concat(Price(Slice("s-1", "2024-03-05T11:00:00", "2024-03-05T11:01:10", final: true)))
            .ToList();

        // The first 30 s carry the 60-second minimum; the rest counts from there: 60 + 40.
        Assert.Equal(
            [(60L, 30L, 0.016666667m), (40L, 70L, 0.011111111m)],
            lines.Select(l => (l.Value.billedSeconds!.Value, l.Value.usedSeconds, BillingDriver.Money(l.Value.quantity))));

        var invoice = Bill(lines).Last();

        // 0.027777778 h x 0.096 = 0.002666666688 -> 0.0027 (4 places), on an EC2 line of the usage type.
        var line = Assert.Single(invoice.lines);
        Assert.Equal((ServiceKind.Ec2, "BoxUsage:m5.large:Linux", 0.027777778m, 0.0027m), (line.service, line.resourceType, BillingDriver.Money(line.quantity), BillingDriver.Money(line.amount)));
        Assert.Equal(BillingDriver.Money(line.quantity), Assert.Single(InvoiceRecords.ToBill(invoice).ServiceLines).Quantity);
    }

    public void Dispose()
    {
        _pricing.Dispose();
        _invoicing.Dispose();
    }

    private static CdnTraffic Figure(string eventId, string day, long gb)
    {
        var start = T.At(day + "T00:00:00Z");
        return CdnEvents.CostExplorer(eventId, "CUST001", start, start.AddDays(1), gb * CdnEvents.Gb);
    }

    private static UsageSegment Slice(string session, string from, string until, bool final) => new()
    {
        eventId = Streams.DeterministicId.FromParts("test-segment", session, from),
        source = "test",
        accountId = "CUST001",
        sessionId = session,
        instanceId = "i-1",
        instanceType = "m5.large",
        region = "us-east-1",
        role = "Admin",
        os = OperatingSystemType.Linux,
        purchaseOption = PurchaseOption.OnDemand,
        sessionStart = T.Utc("2024-03-05T10:59:30"),
        sessionEnd = final ? T.Utc(until) : null,
        segmentStart = T.Utc(from),
        segmentEnd = T.Utc(until),
        isFinal = final,
        sourceEventIds = final ? [session + "-launch", session + "-terminate"] : [session + "-launch"],
    };

    private List<TestRecord<string, PricedLineItem>> Price(CdnTraffic figure)
    {
        _traffic.PipeInput(figure.customerId, figure, new DateTimeOffset(figure.periodEnd, TimeSpan.Zero).AddHours(24));
        return [.. _priced.ReadRecordsToList()];
    }

    private List<TestRecord<string, PricedLineItem>> Price(UsageSegment segment)
    {
        _segments.PipeInput(segment.accountId, segment, new DateTimeOffset(segment.segmentEnd, TimeSpan.Zero));
        return [.. _priced.ReadRecordsToList()];
    }

    private List<Invoice> Bill(IEnumerable<TestRecord<string, PricedLineItem>> lines)
    {
        foreach (var line in lines)
        {
            _lines.PipeInput(line.Key, line.Value, line.Timestamp);
        }

        return [.. _invoices.ReadRecordsToList().Select(r => r.Value)];
    }
}
