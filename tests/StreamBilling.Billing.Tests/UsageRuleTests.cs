using static StreamBilling.Billing.Tests.Fixtures;

namespace StreamBilling.Billing.Tests;

public sealed class UsageRuleTests
{
    private static BillResult Bill(params UsageRecord[] usage) =>
        BillCalculator.Calculate(new BillInput { Customers = TwoCustomers(), Rates = SeedRates(), Usage = usage });

    [Fact]
    public void Calculate_TwoShortEventsSameInstance_EachRoundedUp()
    {
        var result = Bill(
            Use("CUST001", "i-1", "t3.small", "2021-08-10T10:20:00", "2021-08-10T10:40:00"),
            Use("CUST001", "i-1", "t3.small", "2021-08-10T15:35:40", "2021-08-10T15:45:40"));

        var line = Line(Single(result, "CUST001", 2021, 8), "t3.small");
        Assert.Equal((1, TimeSpan.FromMinutes(30), 2L), (line.Resources, line.UsedTime, line.BilledHours));
    }

    [Fact]
    public void Calculate_OverlappingRowsSameInstance_BilledAsSeparateEvents()
    {
        var result = Bill(
            Use("CUST001", "i-1", "t3.small", "2021-08-10T10:00:00", "2021-08-10T12:00:00"),
            Use("CUST001", "i-1", "t3.small", "2021-08-10T11:00:00", "2021-08-10T13:00:00"));

        var line = Line(Single(result, "CUST001", 2021, 8), "t3.small");
        Assert.Equal((1, TimeSpan.FromHours(4), 4L), (line.Resources, line.UsedTime, line.BilledHours));
    }

    [Fact]
    public void Calculate_EventCrossingMonthEnd_BilledInBothMonths()
    {
        var result = Bill(Use("CUST001", "i-1", "t3.small", "2021-07-31T23:30:00", "2021-08-01T00:30:00"));

        Assert.Equal(1, Line(Single(result, "CUST001", 2021, 7), "t3.small").BilledHours);
        Assert.Equal(1, Line(Single(result, "CUST001", 2021, 8), "t3.small").BilledHours);
    }

    [Fact]
    public void Calculate_CustomerIdWithDashOrCase_MatchesAndPrintsWithoutDash()
    {
        var result = Bill(Use("cust-002", "i-1", "t3.small", "2021-08-10T10:00:00", "2021-08-10T11:00:00"));

        Assert.Empty(result.Issues);
        Assert.Equal("CUST002", Assert.Single(result.Bills).CustomerId);
    }

    [Fact]
    public void Calculate_InstanceIdsDifferingOnlyInCaseOrDash_OneResource()
    {
        var result = Bill(
            Use("CUST001", "t3-abc", "t3.small", "2021-08-10T10:00:00", "2021-08-10T11:00:00"),
            Use("CUST001", "T3ABC", "t3.small", "2021-08-11T10:00:00", "2021-08-11T11:00:00"));

        Assert.Equal(1, Line(Single(result, "CUST001", 2021, 8), "t3.small").Resources);
    }

    [Fact]
    public void Calculate_RegionRowAndAllRegionRow_RegionRowWins()
    {
        var input = new BillInput
        {
            Customers = TwoCustomers(),
            Rates = [new("t3.small", string.Empty, 0.0209m, null), new("t3.small", Mumbai, 0.0300m, null)],
            Usage =
            [
                Use("CUST001", "i-1", "t3.small", "2021-08-10T10:00:00", "2021-08-10T11:00:00", Mumbai),
                Use("CUST001", "i-2", "t3.small", "2021-08-10T10:00:00", "2021-08-10T11:00:00", Ohio),
            ],
        };

        var bill = Single(BillCalculator.Calculate(input), "CUST001", 2021, 8);

        Assert.Equal(0.0300m, Line(bill, "t3.small", Mumbai).Rate);
        Assert.Equal(0.0209m, Line(bill, "t3.small", Ohio).Rate);
    }

    [Fact]
    public void Calculate_RegionsPresent_OneLinePerRegionOrderedByRegion()
    {
        var input = new BillInput
        {
            Customers = TwoCustomers(),
            Rates = RegionRates(),
            Usage =
            [
                Use("CUST001", "i-1", "t3.micro", "2021-08-10T10:00:00", "2021-08-10T11:00:00", Ohio),
                Use("CUST001", "i-2", "t3.micro", "2021-08-10T10:00:00", "2021-08-10T11:00:00", Mumbai),
            ],
        };

        var bill = Single(BillCalculator.Calculate(input), "CUST001", 2021, 8);

        Assert.Equal([Mumbai, Ohio], bill.Lines.Select(l => l.Region));
    }

    [Fact]
    public void Calculate_CustomerWithoutUsage_NoBill()
    {
        var result = Bill(Use("CUST001", "i-1", "t3.small", "2021-08-10T10:00:00", "2021-08-10T11:00:00"));

        Assert.DoesNotContain(result.Bills, b => b.CustomerId == "CUST002");
    }
}
