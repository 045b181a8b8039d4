using static StreamBilling.Billing.Tests.Fixtures;

namespace StreamBilling.Billing.Tests;

public sealed class ReservedInstanceTests
{
    private static BillResult Bill(params ReservedInstance[] reserved) =>
        BillCalculator.Calculate(new BillInput { Customers = TwoCustomers(), Rates = RegionRates(), ReservedInstances = reserved });

    private static ReservedInstance TwoYears() =>
        new("CUST001", "i-r1", "t3.micro", Ohio, InstanceOs.Linux, D("2020-01-01"), D("2021-12-31"));

    [Theory]
    [InlineData(2021, 2, 672)] // 28 days
    [InlineData(2020, 2, 696)] // 29 days (leap year)
    [InlineData(2021, 4, 720)] // 30 days
    [InlineData(2021, 1, 744)] // 31 days
    public void Calculate_ReservedMonth_TwentyFourHoursPerDayAtReservedRate(int year, int month, long hours)
    {
        var line = Line(Single(Bill(TwoYears()), "CUST001", year, month), "t3.micro", Ohio, Pricing.Reserved);

        Assert.Equal((1, TimeSpan.FromHours(hours), hours), (line.Resources, line.UsedTime, line.BilledHours));
        Assert.Equal(0.0085m, line.Rate);
        Assert.Equal(hours * 0.0085m, line.Amount);
    }

    [Fact]
    public void Calculate_ReservedTerm_OneBillPerMonthWithoutAnyUsage()
    {
        var result = Bill(TwoYears());

        Assert.Equal(24, result.Bills.Count);
        Assert.Equal(new BillingMonth(2020, 1), result.Bills[0].Month);
        Assert.Equal(new BillingMonth(2021, 12), result.Bills[^1].Month);
    }

    [Fact]
    public void Calculate_ReservedAndOnDemandSameType_SeparateLines()
    {
        var input = new BillInput
        {
            Customers = TwoCustomers(),
            Rates = RegionRates(),
            ReservedInstances = [TwoYears()],
            Usage = [Use("CUST001", "i-od", "t3.micro", "2021-03-01T00:00:00", "2021-03-01T01:00:00", Ohio)],
        };

        var bill = Single(BillCalculator.Calculate(input), "CUST001", 2021, 3);

        Assert.Equal([Pricing.OnDemand, Pricing.Reserved], bill.Lines.Select(l => l.Pricing));
    }
}
