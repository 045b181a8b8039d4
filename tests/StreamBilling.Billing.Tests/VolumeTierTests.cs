using StreamBilling.Billing.Invoicing;
using StreamBilling.Billing.RateCards;
using StreamBilling.Billing.UsagePricing;
using static StreamBilling.Billing.Tests.Fixtures;

namespace StreamBilling.Billing.Tests;

/// <summary>
/// Volume tiers (<c>"tierMode": "volume"</c>) on CDN transfer: every GB of the month at the tier the month's total
/// reaches; up to 10 GB $0.085, up to 50 GB $0.08, above $0.06.
/// </summary>
public sealed class VolumeTierTests
{
    private const string Card = """
        {
          "currency": "USD",
          "versions": [
            { "version": "v1", "effectiveFrom": "2024-01-01T00:00:00Z",
              "ec2": [ { "region": "us-east-1", "instanceType": "t3.micro", "onDemandPerHour": 0.0104 } ],
              "metered": [
                { "service": "Cdn", "usageType": "DataTransfer-Out-Gb", "unit": "GB", "tierMode": "volume",
                  "tiers": [ { "upTo": 10, "perUnit": 0.085 }, { "upTo": 50, "perUnit": 0.080 }, { "perUnit": 0.060 } ] },
                { "service": "S3", "usageType": "DataTransfer-Out-Gb", "unit": "GB", "perUnit": 0.09 } ] }
          ]
        }
        """;

    private static readonly UsagePricer Pricer = new(RateCard.Parse(Card));

    private static MeteredUsage Figure(string eventId, string day, decimal gb) =>
        new([eventId], "CUST001", BillableService.Cdn, UsageTypes.CdnDataTransferOut, string.Empty, "dist-1", T(day + "T00:00:00"), T(day + "T00:00:00").AddDays(1), gb);

    private static IReadOnlyList<PricedLine> Price(MeteredUsage figure, decimal before) => Pricer.PriceMetered(figure, _ => before);

    private static (string UsageType, decimal Quantity, decimal Rate, decimal Amount, bool Correction)[] Figures(IEnumerable<PricedLine> lines) =>
        [.. lines.Select(l => (l.UsageType, l.Quantity, l.Rate, l.Amount, l.IsVolumeTierCorrection))];

    [Fact]
    public void PriceMetered_FirstFigure_AllUnitsAtTheTierItReaches_NoCorrection()
    {
        Assert.Equal([("DataTransfer-Out-Gb:Tier1", 8m, 0.085m, 0.68m, false)], Figures(Price(Figure("ce-1", "2024-03-01", 8), before: 0)));
    }

    [Fact]
    public void PriceMetered_FigureMovingTheMonthIntoACheaperTier_CorrectionLinesRepriceTheEarlierUnits()
    {
        var lines = Price(Figure("ce-2", "2024-03-02", 5), before: 8);

        // 13 GB reach tier 2: the 5 GB at 0.08, and the 8 GB billed at 0.085 re-priced at 0.08 (-0.68 + 0.64).
        Assert.Equal(
            [("DataTransfer-Out-Gb:Tier2", 5m, 0.08m, 0.40m, false), ("DataTransfer-Out-Gb:Tier1", -8m, 0.085m, -0.68m, true), ("DataTransfer-Out-Gb:Tier2", 8m, 0.08m, 0.64m, true)],
            Figures(lines));
        Assert.Equal(13m * 0.08m, 0.68m + lines.Sum(l => l.Amount));
        Assert.Equal(5m, lines.Sum(l => l.Quantity)); // the month-to-date quantity still grows by the figure only
        Assert.Equal(3, lines.Select(l => l.LineId).Distinct().Count());
        Assert.All(lines, l => Assert.Equal((T("2024-03-02T00:00:00"), new BillingMonth(2024, 3)), (l.UsageStart, l.Month)));
    }

    [Fact]
    public void PriceMetered_TotalExactlyAtATierEnd_StaysInThatTier()
    {
        Assert.Equal([("DataTransfer-Out-Gb:Tier1", 2m, 0.085m, 0.17m, false)], Figures(Price(Figure("ce-2", "2024-03-02", 2), before: 8)));
    }

    [Fact]
    public void PriceMetered_FigureStayingInTheSameTier_NoCorrection()
    {
        Assert.Equal([("DataTransfer-Out-Gb:Tier2", 20m, 0.08m, 1.6m, false)], Figures(Price(Figure("ce-3", "2024-03-03", 20), before: 13)));
    }

    [Fact]
    public void Bill_FiguresThroughTwoTierChanges_TotalIsTheMonthTotalAtTheTierItReached()
    {
        var invoices = new InvoiceAssembler("CUST001", "ABC Corporation");
        var before = 0m;
        foreach (var figure in new[] { Figure("ce-1", "2024-03-01", 8), Figure("ce-2", "2024-03-02", 5), Figure("ce-3", "2024-03-03", 40) })
        {
            var lines = Price(figure, before);
            foreach (var line in lines)
            {
                invoices.Add(line);
            }

            before += lines.Sum(l => l.Quantity);
        }

        var bill = invoices.Bill(new BillingMonth(2024, 3))!;

        // 53 GB reach tier 3: 53 x 0.06 = 3.18; the tiers left behind net to zero.
        Assert.Equal(
            [("DataTransfer-Out-Gb:Tier1", 0m, 0m), ("DataTransfer-Out-Gb:Tier2", 0m, 0m), ("DataTransfer-Out-Gb:Tier3", 53m, 3.18m)],
            bill.ServiceLines.Select(l => (l.UsageType, l.Quantity, l.Amount)));
        Assert.Equal(3.18m, bill.TotalAmount);
    }

    [Fact]
    public void Add_SameFigurePricedAgainFromTheSamePoint_NoSecondCorrection()
    {
        var invoices = new InvoiceAssembler("CUST001", "ABC Corporation");
        foreach (var line in Price(Figure("ce-1", "2024-03-01", 8), before: 0).Concat(Price(Figure("ce-2", "2024-03-02", 5), before: 8)))
        {
            invoices.Add(line);
        }

        var replayed = Price(Figure("ce-2", "2024-03-02", 5), before: 8).Select(invoices.Add).ToList();

        Assert.All(replayed, Assert.Null);
        Assert.Equal(1.04m, invoices.Bill(new BillingMonth(2024, 3))!.TotalAmount);
    }

    [Fact]
    public void PriceMetered_FigureAcrossAMonthEnd_EachMonthAtItsOwnTier()
    {
        var figure = new MeteredUsage(["ce-9"], "CUST001", BillableService.Cdn, UsageTypes.CdnDataTransferOut, string.Empty, "dist-1", T("2024-03-31T12:00:00"), T("2024-04-01T12:00:00"), 20);

        var lines = Pricer.PriceMetered(figure, month => month == new BillingMonth(2024, 3) ? 45m : 0m);

        // 10 GB each side: March reaches 55 GB (tier 3, re-pricing its 45 GB from tier 2), April 10 GB (tier 1).
        Assert.Equal(
            [(new BillingMonth(2024, 3), "DataTransfer-Out-Gb:Tier3", 10m, false), (new BillingMonth(2024, 3), "DataTransfer-Out-Gb:Tier2", -45m, true),
             (new BillingMonth(2024, 3), "DataTransfer-Out-Gb:Tier3", 45m, true), (new BillingMonth(2024, 4), "DataTransfer-Out-Gb:Tier1", 10m, false)],
            lines.Select(l => (l.Month, l.UsageType, l.Quantity, l.IsVolumeTierCorrection)));
    }

    [Fact]
    public void Parse_TieredRateOnAServiceWithoutAMonthToDate_RefusedNamingServiceAndUsageType()
    {
        var card = Card.Replace(
            "\"unit\": \"GB\", \"perUnit\": 0.09 }",
            "\"unit\": \"GB\", \"tierMode\": \"volume\", \"tiers\": [ { \"upTo\": 10240, \"perUnit\": 0.09 }, { \"perUnit\": 0.085 } ] }",
            StringComparison.Ordinal);

        var error = Assert.Throws<RateCardException>(() => RateCard.Parse(card));

        Assert.Contains("S3 DataTransfer-Out-Gb is tiered, but its pricer keeps no month-to-date quantity", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Cdn DataTransfer-Out-Gb is tiered", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownTierMode_RefusedNamingTheEntry()
    {
        var error = Assert.Throws<RateCardException>(() => RateCard.Parse(Card.Replace("\"tierMode\": \"volume\"", "\"tierMode\": \"stepped\"", StringComparison.Ordinal)));

        Assert.Contains("version 'v1': Cdn DataTransfer-Out-Gb in '': tierMode 'stepped' is neither 'graduated' nor 'volume'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TierModeOnAFlatRate_Refused()
    {
        var card = Card.Replace("\"unit\": \"GB\", \"perUnit\": 0.09 }", "\"unit\": \"GB\", \"tierMode\": \"volume\", \"perUnit\": 0.09 }", StringComparison.Ordinal);

        var error = Assert.Throws<RateCardException>(() => RateCard.Parse(card));

        Assert.Contains("S3 DataTransfer-Out-Gb in '': tierMode 'volume' needs tiers", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_VersionStartingWithinAMonthNextToVolumeTiers_Refused()
    {
        var card = Card.Replace(
            "\"perUnit\": 0.09 } ] }",
            "\"perUnit\": 0.09 } ] }, { \"version\": \"v2\", \"effectiveFrom\": \"2024-03-15T00:00:00Z\", \"ec2\": [ { \"instanceType\": \"t3.micro\", \"onDemandPerHour\": 0.011 } ] }",
            StringComparison.Ordinal);

        var error = Assert.Throws<RateCardException>(() => RateCard.Parse(card));

        Assert.Contains("version 'v2' takes effect within a month, next to a version with volume tiers", error.Message, StringComparison.Ordinal);
    }
}
