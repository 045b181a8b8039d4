using StreamBilling.Events.Common;
using StreamBilling.Events.Outputs;
using StreamBilling.Pipeline.DailyUsage;
using StreamBilling.Storage;

namespace StreamBilling.Pipeline.Tests;

/// <summary>How the daily usage sink turns priced lines and CloudWatch samples into days of the view.</summary>
public sealed class DailyUsageSinkTests
{
    private static readonly DateOnly July1 = new(2024, 7, 1);

    [Fact]
    public void ALineAcrossMidnights_IsSplitByTime_AndThePiecesAddUpExactly()
    {
        // 36 hours: 6 on July 1, 24 on July 2, 6 on July 3.
        var pieces = UtcDaySplit.Split(T.At("2024-07-01T18:00:00Z"), T.At("2024-07-03T06:00:00Z"), 1m, 0.01m);

        Assert.Equal(
            [
                new DailyUsagePiece(July1, 0.166666667m, 0.001667m),
                new DailyUsagePiece(July1.AddDays(1), 0.666666667m, 0.006667m),
                new DailyUsagePiece(July1.AddDays(2), 0.166666666m, 0.001666m),
            ],
            pieces);
        Assert.Equal((1m, 0.01m), (pieces.Sum(p => p.Quantity), pieces.Sum(p => p.Cost!.Value)));
    }

    [Theory]
    [InlineData("2024-07-01T00:00:00Z", "2024-07-02T00:00:00Z")] // a whole day ends at the next midnight, exclusive
    [InlineData("2024-07-01T23:59:00Z", "2024-07-02T00:00:00Z")]
    [InlineData("2024-07-01T10:00:00Z", "2024-07-01T10:00:00Z")] // an instant (a stored recording)
    public void ALineWithinOneDay_IsOnePieceOnThatDay(string start, string end)
    {
        Assert.Equal([new DailyUsagePiece(July1, 2.5m, 0.2125m)], UtcDaySplit.Split(T.At(start), T.At(end), 2.5m, 0.2125m));
    }

    [Fact]
    public void ARetractedLine_HasNoDays_SoStoringItRemovesTheLine()
    {
        var line = Line("line-1", "2024-07-01T10:00:00Z", "2024-07-01T11:00:00Z");

        var source = DailyUsageSink.ToSource(Pricing.PricedLineItems.Retraction(line, "test"));

        Assert.Equal(("line-1", "CUST001", "Ec2", DailyUsageFigure.Priced), (source.SourceId, source.CustomerId, source.Service, source.Figure));
        Assert.Empty(source.Days);
    }

    [Fact]
    public void ACloudWatchSample_IsItsGbUnpriced_UnderItsEventId()
    {
        var source = DailyUsageSink.ToSource(CdnEvents.CloudWatch("cw-1", "CUST001", T.At("2024-07-01T23:59:30Z"), 3));

        Assert.Equal(("cw-1", "Cdn", DailyUsageFigure.Estimate, "GB", string.Empty), (source.SourceId, source.Service, source.Figure, source.Unit, source.Currency));
        Assert.Equal([new DailyUsagePiece(July1, 1.5m, null), new DailyUsagePiece(July1.AddDays(1), 1.5m, null)], source.Days);
    }

    [Fact]
    public void SamplesTheViewCannotHold_AreDeadLetteredWithTheReason()
    {
        var figure = CdnEvents.CostExplorer("ce-1", "CUST001", T.At("2024-07-01T00:00:00Z"), T.At("2024-07-02T00:00:00Z"), 5);
        var negative = CdnEvents.CloudWatch("cw-2", "CUST001", T.At("2024-07-01T10:00:00Z"), 1);
        negative.bytes = -1;

        Assert.Null(DailyUsageSink.ValidateSample(CdnEvents.CloudWatch("cw-1", "CUST001", T.At("2024-07-01T10:00:00Z"), 1)));
        Assert.Contains("wrong-data-source", DailyUsageSink.ValidateSample(figure), StringComparison.Ordinal);
        Assert.Contains("invalid-sample", DailyUsageSink.ValidateSample(negative), StringComparison.Ordinal);
        Assert.Contains("ends before it starts", DailyUsageSink.ValidateLine(Line("line-1", "2024-07-01T11:00:00Z", "2024-07-01T10:00:00Z")), StringComparison.Ordinal);
    }

    private static PricedLineItem Line(string id, string start, string end) => new()
    {
        eventId = id,
        source = "test",
        accountId = "CUST001",
        service = ServiceKind.Ec2,
        region = "us-east-1",
        resourceId = "i-1",
        usageType = "BoxUsage:t3.micro:Linux",
        billingMonth = "2024-07",
        usageStart = T.Utc(start),
        usageEnd = T.Utc(end),
        quantity = AvroDecimals.Quantity(1m),
        unit = "Hours",
        rate = Pricing.PricedLineItems.Rate(0.0104m),
        amount = AvroDecimals.Money(0.0104m),
        currency = "USD",
        rateCardVersion = "2019-01",
        sourceEventIds = ["e-1"],
    };
}
