using StreamBilling.Billing;
using StreamBilling.Billing.UsagePricing;
using StreamBilling.Events.Common;
using StreamBilling.Pipeline.Pricing;
using StreamBilling.Pipeline.Wire;

namespace StreamBilling.Pipeline.Tests;

/// <summary>
/// Every member of each wire/domain enum pair maps to the member of the same name, both ways: a reordered or added
/// symbol fails here, not on a customer's bill.
/// </summary>
public sealed class WireEnumsTests
{
    [Fact]
    public void PurchaseOption_AndPricing_MapByName() =>
        AssertByName<Billing.Pricing, PurchaseOption>(WireEnums.ToWire, WireEnums.ToDomain);

    [Fact]
    public void OperatingSystemType_AndInstanceOs_MapByName() =>
        AssertByName<InstanceOs, OperatingSystemType>(WireEnums.ToWire, WireEnums.ToDomain);

    [Fact]
    public void ServiceKind_AndBillableService_MapByName() =>
        AssertByName<BillableService, ServiceKind>(WireEnums.ToWire, WireEnums.ToDomain);

    [Fact]
    public void MemberWithoutCounterpart_Throws_InsteadOfLandingOnANeighbour()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => WireEnums.ToWire((Billing.Pricing)7));

        Assert.Contains("has no counterpart", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => WireEnums.ToDomain((ServiceKind)99));
    }

    [Theory]
    [InlineData(Billing.Pricing.Spot, PurchaseOption.Spot)]
    [InlineData(Billing.Pricing.Reserved, PurchaseOption.Reserved)]
    [InlineData(Billing.Pricing.OnDemand, PurchaseOption.OnDemand)]
    public void PricedLine_OnTheWire_CarriesItsOwnPurchaseOption(Billing.Pricing pricing, PurchaseOption expected)
    {
        var start = new DateTimeOffset(2024, 8, 1, 10, 0, 0, TimeSpan.Zero);
        var line = new PricedLine
        {
            SourceEventIds = ["l1"],
            CustomerId = "CUST001",
            Service = pricing == Billing.Pricing.Reserved ? BillableService.ReservedInstance : BillableService.Ec2,
            Region = "us-east-1",
            ResourceId = "i-1",
            UsageType = "t3.small",
            Month = BillingMonth.Of(start),
            UsageStart = start,
            UsageEnd = start.AddHours(1),
            Quantity = 1m,
            Unit = "Hours",
            Rate = 0.01m,
            Currency = "USD",
            RateCardVersion = "test",
            Instance = new InstanceLineDetail("t3.small", InstanceOs.Windows, pricing, TimeSpan.FromHours(1), start, false),
        };

        var record = PricedLineItems.ToRecord(line, "line-1", "test", "Admin");

        Assert.Equal((expected, OperatingSystemType.Windows), (record.purchaseOption, record.os));
        Assert.Equal((pricing, InstanceOs.Windows), (PricedLineItems.ToLine(record).Instance!.Pricing, PricedLineItems.ToLine(record).Instance!.Os));
    }

    private static void AssertByName<TDomain, TWire>(Func<TDomain, TWire> toWire, Func<TWire, TDomain> toDomain)
        where TDomain : struct, Enum
        where TWire : struct, Enum
    {
        // The wire's default symbol stands in for symbols a reader lacks: no domain member is it, and it maps to none.
        const string Default = "Unknown";
        Assert.Equal(Enum.GetNames<TDomain>().Order(StringComparer.Ordinal), Enum.GetNames<TWire>().Where(n => n != Default).Order(StringComparer.Ordinal));
        foreach (var member in Enum.GetValues<TDomain>())
        {
            Assert.Equal(member.ToString(), toWire(member).ToString());
        }

        foreach (var member in Enum.GetValues<TWire>())
        {
            if (member.ToString() == Default)
            {
                Assert.Throws<ArgumentOutOfRangeException>(() => toDomain(member));
            }
            else
            {
                Assert.Equal(member.ToString(), toDomain(member).ToString());
            }
        }
    }
}
