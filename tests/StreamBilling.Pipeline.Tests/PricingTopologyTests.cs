using StreamBilling.Billing;
using StreamBilling.Billing.UsagePricing;
using StreamBilling.Events.Common;

namespace StreamBilling.Pipeline.Tests;

/// <summary>Pricing in the test driver: lines are the bill engine's, with source event ids and deterministic ids.</summary>
public sealed class PricingTopologyTests
{
    [Fact]
    public void PriceSegment_Slice_LineIsTheLibrarysPriceWithSourceEventIds()
    {
        using var driver = new BillingDriver();
        var slice = BillingDriver.Slice("s1", "i-1", "2021-08-01T10:20:00", "2021-08-01T11:00:00", "2021-08-01T11:45:00");

        var line = Assert.Single(driver.Price(slice)).Value;

        var expected = Assert.Single(new UsagePricer(BillingDriver.Card).PriceInstance(new InstanceUsage(
            [], "CUST001", "i-1", "t3.small", "us-east-1", InstanceOs.Linux, global::StreamBilling.Billing.Pricing.OnDemand, T.At("2021-08-01T10:20:00"), T.At("2021-08-01T11:00:00"), T.At("2021-08-01T11:45:00"))));
        Assert.Equal(expected.Quantity, BillingDriver.Money(line.quantity));
        Assert.Equal(expected.Amount, BillingDriver.Money(line.amount));
        Assert.Equal("2021-08", line.billingMonth);
        Assert.Equal(45 * 60, line.usedSeconds);
        Assert.Equal(["s1-launch", "s1-terminate"], line.sourceEventIds);
        Assert.Equal(PurchaseOption.OnDemand, line.purchaseOption);
        Assert.False(line.isRetraction);
    }

    [Fact]
    public void PriceSegment_SliceResent_SameIdAndSameLine()
    {
        using var driver = new BillingDriver();
        var slice = BillingDriver.Slice("s1", "i-1", "2021-08-01T10:20:00", "2021-08-01T11:00:00", "2021-08-01T11:45:00");

        var first = Assert.Single(driver.Price(slice));
        var again = Assert.Single(driver.Price(slice));

        Assert.Equal(first.Value.eventId, again.Value.eventId);
        Assert.Equal(first.Id, again.Id);
        Assert.Equal(BillingDriver.Money(first.Value.amount), BillingDriver.Money(again.Value.amount));
    }

    [Fact]
    public void PriceReservation_ThreeMonthTerm_OneLinePerMonthAtTheReservedRate()
    {
        using var driver = new BillingDriver();
        var purchase = Ec2Events.Reservation("t3.small", OperatingSystemType.Linux, "2021-02-01T00:00:00", "2021-05-01T00:00:00");

        var lines = driver.Price(purchase).Select(r => r.Value).ToList();

        Assert.Equal(["2021-02", "2021-03", "2021-04"], lines.Select(l => l.billingMonth));
        Assert.Equal([24m * 28, 24m * 31, 24m * 30], lines.Select(l => BillingDriver.Money(l.quantity)));
        Assert.All(lines, l => Assert.Equal(ServiceKind.ReservedInstance, l.service));
        Assert.All(lines, l => Assert.Equal(0.0150m, BillingDriver.Money(l.rate)));
        Assert.Equal(3, lines.Select(l => l.eventId).Distinct().Count());
    }
}
