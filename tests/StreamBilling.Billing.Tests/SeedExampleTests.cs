using static StreamBilling.Billing.Tests.Fixtures;

namespace StreamBilling.Billing.Tests;

public sealed class SeedExampleTests
{
    [Fact]
    public void Calculate_SeedExample_FiveBills()
    {
        var result = BillCalculator.Calculate(SeedExample());

        Assert.Empty(result.Issues);
        Assert.Equal(
            ["CUST001 2021-07", "CUST001 2021-08", "CUST002 2021-06", "CUST002 2021-07", "CUST002 2021-08"],
            result.Bills.Select(b => $"{b.CustomerId} {b.Month}"));
    }

    [Fact]
    public void Calculate_SeedCust001August_CorrectedFigures()
    {
        var bill = Single(BillCalculator.Calculate(SeedExample()), "CUST001", 2021, 8);

        var medium = Line(bill, "t3.medium");
        Assert.Equal((1, new TimeSpan(5, 30, 45), 6L, 0.2508m), (medium.Resources, medium.UsedTime, medium.BilledHours, medium.Amount));
        var small = Line(bill, "t3.small");
        Assert.Equal((2, new TimeSpan(244, 15, 48), 245L, 5.1205m), (small.Resources, small.UsedTime, small.BilledHours, small.Amount));
        Assert.Equal(5.3713m, bill.TotalAmount);
        Assert.Equal(0m, bill.TotalDiscount);
        Assert.Equal(5.3713m, bill.ActualAmount);
        Assert.Equal("ABC Corporation", bill.CustomerName);
    }

    [Fact]
    public void Calculate_SeedExample_LinesOrderedByType()
    {
        var bill = Single(BillCalculator.Calculate(SeedExample()), "CUST001", 2021, 8);

        Assert.Equal(["t3.medium", "t3.small"], bill.Lines.Select(l => l.InstanceType));
    }

    [Fact]
    public void Calculate_SeedRow2_ProportionedOverJuneJulyAugust()
    {
        var result = BillCalculator.Calculate(SeedExample());

        Assert.Equal(302, Line(Single(result, "CUST002", 2021, 6), "t3.medium").BilledHours);
        Assert.Equal(744, Line(Single(result, "CUST002", 2021, 7), "t3.medium").BilledHours);
        Assert.Equal(352, Line(Single(result, "CUST002", 2021, 8), "t3.medium").BilledHours);
    }
}
