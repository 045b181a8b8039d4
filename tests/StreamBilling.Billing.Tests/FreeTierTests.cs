using static StreamBilling.Billing.Tests.Fixtures;

namespace StreamBilling.Billing.Tests;

public sealed class FreeTierTests
{
    private static BillResult Bill(IReadOnlyList<UsageRecord> usage, IReadOnlyList<ReservedInstance>? reserved = null, bool freeTier = true) =>
        BillCalculator.Calculate(new BillInput
        {
            Customers = TwoCustomers(),
            Rates = RegionRates(),
            Usage = usage,
            ReservedInstances = reserved ?? [],
            FreeTier = freeTier ? FreeTier() : null,
        });

    [Fact]
    public void Calculate_AllowanceRunsOutMidPiece_LaterPieceInOtherRegionPartlyFree()
    {
        var result = Bill(
        [
            Use("CUST001", "i-me", "t2.micro", "2021-08-10T00:00:00", "2021-08-22T12:00:00", MiddleEast), // 300 h, starts second
            Use("CUST001", "i-oh", "t3.micro", "2021-08-01T00:00:00", "2021-08-21T20:00:00", Ohio), // 500 h, starts first
        ]);

        var bill = Single(result, "CUST001", 2021, 8);
        var ohio = Line(bill, "t3.micro", Ohio);
        var middleEast = Line(bill, "t2.micro", MiddleEast);
        Assert.Equal((500L, 500L, 5.2000m, 5.2000m), (ohio.BilledHours, ohio.FreeHours, ohio.Amount, ohio.Discount));
        Assert.Equal((300L, 250L, 3.6000m, 3.0000m), (middleEast.BilledHours, middleEast.FreeHours, middleEast.Amount, middleEast.Discount));
        Assert.Equal(0.6000m, bill.ActualAmount);
    }

    [Fact]
    public void Calculate_EarlierPieceInOtherRegion_GetsFreeHoursFirst()
    {
        var result = Bill(
        [
            Use("CUST001", "i-me", "t2.micro", "2021-08-01T00:00:00", "2021-08-13T12:00:00", MiddleEast), // 300 h, starts first
            Use("CUST001", "i-oh", "t3.micro", "2021-08-02T00:00:00", "2021-08-22T20:00:00", Ohio), // 500 h
        ]);

        var bill = Single(result, "CUST001", 2021, 8);
        Assert.Equal(300, Line(bill, "t2.micro", MiddleEast).FreeHours);
        Assert.Equal(450, Line(bill, "t3.micro", Ohio).FreeHours);
    }

    [Fact]
    public void Calculate_LinuxAndWindows_SeparateAllowances()
    {
        // 850 h Linux and 600 h Windows: only the 100 Linux hours over 750 are charged.
        var result = Bill(
        [
            Use("CUST001", "i-l1", "t3.micro", "2021-08-01T00:00:00", "2021-08-21T20:00:00", Ohio, InstanceOs.Linux), // 500 h
            Use("CUST001", "i-l2", "t3.micro", "2021-08-01T00:00:00", "2021-08-15T14:00:00", Mumbai, InstanceOs.Linux), // 350 h
            Use("CUST001", "i-w1", "t3.micro", "2021-08-01T00:00:00", "2021-08-26T00:00:00", Ohio, InstanceOs.Windows), // 600 h
        ]);

        var bill = Single(result, "CUST001", 2021, 8);
        var ohio = Line(bill, "t3.micro", Ohio);
        var mumbai = Line(bill, "t3.micro", Mumbai);
        Assert.Equal(1450, ohio.BilledHours + mumbai.BilledHours);
        Assert.Equal(1350, ohio.FreeHours + mumbai.FreeHours);
        Assert.Equal(100, mumbai.BilledHours - mumbai.FreeHours);
    }

    [Fact]
    public void Calculate_TypeNotEligibleInItsRegion_NoDiscount()
    {
        var result = Bill(
        [
            Use("CUST001", "i-1", "t2.micro", "2021-08-01T00:00:00", "2021-08-01T10:00:00", Ohio),
            Use("CUST001", "i-2", "t3.micro", "2021-08-01T00:00:00", "2021-08-01T10:00:00", MiddleEast),
        ]);

        Assert.Equal(0m, Single(result, "CUST001", 2021, 8).TotalDiscount);
    }

    [Fact]
    public void Calculate_NoEligibilityFile_NoFreeTier()
    {
        var result = Bill([Use("CUST001", "i-1", "t3.micro", "2021-08-01T00:00:00", "2021-08-01T10:00:00", Ohio)], freeTier: false);

        Assert.Equal(0m, Single(result, "CUST001", 2021, 8).TotalDiscount);
    }

    [Fact]
    public void Calculate_UnusedHours_DoNotRollOver()
    {
        var result = Bill(
        [
            Use("CUST001", "i-1", "t3.micro", "2021-08-01T00:00:00", "2021-08-05T04:00:00", Ohio), // 100 h
            Use("CUST001", "i-1", "t3.micro", "2021-09-01T00:00:00", "2021-09-30T00:00:00", Ohio), // 696 h
            Use("CUST001", "i-2", "t3.micro", "2021-09-01T00:00:00", "2021-09-05T08:00:00", Ohio), // 104 h
        ]);

        Assert.Equal(750, Line(Single(result, "CUST001", 2021, 9), "t3.micro", Ohio).FreeHours);
    }

    [Fact]
    public void Calculate_BillMonthsWithGaps_OnlyMonthsWithinTwelveOfFirstBillAreFree()
    {
        string[] months = ["2019-05", "2019-09", "2020-01", "2020-05", "2020-08"];
        var usage = months.Select((m, i) => Use("CUST001", $"i-{i}", "t3.micro", $"{m}-10T00:00:00", $"{m}-10T10:00:00", Ohio)).ToList();

        var result = Bill(usage);

        Assert.Equal(
            [10L, 10L, 10L, 0L, 0L],
            result.Bills.Where(b => b.CustomerId == "CUST001").Select(b => Line(b, "t3.micro", Ohio).FreeHours));
    }

    [Fact]
    public void Calculate_FirstBillHasNoEligibleUsage_WindowStillStartsThere()
    {
        var result = Bill(
        [
            Use("CUST001", "i-1", "t3.small", "2019-05-10T00:00:00", "2019-05-10T10:00:00", Ohio),
            Use("CUST001", "i-2", "t3.micro", "2020-04-10T00:00:00", "2020-04-10T10:00:00", Ohio),
            Use("CUST001", "i-3", "t3.micro", "2020-05-10T00:00:00", "2020-05-10T10:00:00", Ohio),
        ]);

        Assert.Equal(10, Line(Single(result, "CUST001", 2020, 4), "t3.micro", Ohio).FreeHours);
        Assert.Equal(0, Line(Single(result, "CUST001", 2020, 5), "t3.micro", Ohio).FreeHours);
    }

    [Fact]
    public void Calculate_ReservedEligibleType_NeverFreeButOnDemandSameTypeIs()
    {
        var result = Bill(
            [Use("CUST001", "i-od", "t3.micro", "2021-08-01T00:00:00", "2021-08-01T10:00:00", Ohio)],
            [new ReservedInstance("CUST001", "i-ri", "t3.micro", Ohio, InstanceOs.Linux, D("2021-01-01"), D("2021-12-31"))]);

        var bill = Single(result, "CUST001", 2021, 8);
        Assert.Equal(0m, Line(bill, "t3.micro", Ohio, Pricing.Reserved).Discount);
        Assert.Equal(10, Line(bill, "t3.micro", Ohio).FreeHours);
    }

    [Fact]
    public void Calculate_EachCustomer_HasOwnAllowance()
    {
        var result = Bill(
        [
            Use("CUST001", "i-1", "t3.micro", "2021-08-01T00:00:00", "2021-08-31T00:00:00", Ohio), // 720 h
            Use("CUST002", "i-2", "t3.micro", "2021-08-01T00:00:00", "2021-08-31T00:00:00", Ohio),
        ]);

        Assert.Equal(720, Line(Single(result, "CUST001", 2021, 8), "t3.micro", Ohio).FreeHours);
        Assert.Equal(720, Line(Single(result, "CUST002", 2021, 8), "t3.micro", Ohio).FreeHours);
    }

    [Fact]
    public void Calculate_EligibleEventAcrossMonthEnd_EachPieceDrawsOnItsOwnMonth()
    {
        var result = Bill(
        [
            Use("CUST001", "i-1", "t3.micro", "2021-07-01T00:00:00", "2021-08-02T00:00:00", Ohio), // July 744 h, August 24 h
            Use("CUST001", "i-2", "t3.micro", "2021-08-01T00:00:00", "2021-09-01T00:00:00", Ohio), // August 744 h
        ]);

        var july = Line(Single(result, "CUST001", 2021, 7), "t3.micro", Ohio);
        var august = Line(Single(result, "CUST001", 2021, 8), "t3.micro", Ohio);
        Assert.Equal((744L, 744L), (july.BilledHours, july.FreeHours));
        Assert.Equal((768L, 750L), (august.BilledHours, august.FreeHours));
    }

    [Fact]
    public void Calculate_PiecesStartingTogether_LowerInstanceIdServedFirst()
    {
        var result = Bill(
        [
            // Input order and region order ("Asia" < "US") both favour Mumbai; the instance ID favours Ohio.
            Use("CUST001", "i-b", "t3.micro", "2021-08-01T00:00:00", "2021-08-21T20:00:00", Mumbai), // 500 h
            Use("CUST001", "i-a", "t3.micro", "2021-08-01T00:00:00", "2021-08-21T20:00:00", Ohio), // 500 h
        ]);

        var bill = Single(result, "CUST001", 2021, 8);
        Assert.Equal(500, Line(bill, "t3.micro", Ohio).FreeHours);
        Assert.Equal(250, Line(bill, "t3.micro", Mumbai).FreeHours);
    }

    [Fact]
    public void Calculate_EventAcrossEndOfTwelfthMonth_FreeOnlyInsideTheWindow()
    {
        var result = Bill(
        [
            Use("CUST001", "i-0", "t3.small", "2020-01-10T00:00:00", "2020-01-10T01:00:00", Ohio), // first bill month: January 2020
            Use("CUST001", "i-1", "t3.micro", "2020-12-31T20:00:00", "2021-01-01T04:00:00", Ohio),
        ]);

        Assert.Equal(4, Line(Single(result, "CUST001", 2020, 12), "t3.micro", Ohio).FreeHours);
        Assert.Equal(0, Line(Single(result, "CUST001", 2021, 1), "t3.micro", Ohio).FreeHours);
    }

    [Fact]
    public void Calculate_ReservationBillsFirst_WindowStartsWithTheReservation()
    {
        var result = Bill(
            [
                Use("CUST001", "i-1", "t3.micro", "2019-12-10T00:00:00", "2019-12-10T10:00:00", Ohio),
                Use("CUST001", "i-2", "t3.micro", "2020-01-10T00:00:00", "2020-01-10T10:00:00", Ohio),
            ],
            [new ReservedInstance("CUST001", "i-r", "t3.small", Ohio, InstanceOs.Linux, D("2019-01-01"), D("2019-12-31"))]);

        Assert.Equal(10, Line(Single(result, "CUST001", 2019, 12), "t3.micro", Ohio).FreeHours);
        Assert.Equal(0, Line(Single(result, "CUST001", 2020, 1), "t3.micro", Ohio).FreeHours);
    }

    [Fact]
    public void Calculate_ElasticIpBillsFirst_WindowStartsWithTheElasticIpMonth()
    {
        var result = BillCalculator.Calculate(new BillInput
        {
            Customers = TwoCustomers(),
            Rates = RegionRates(),
            FreeTier = FreeTier(),
            Usage = [Use("CUST001", "i-1", "t3.micro", "2020-05-10T00:00:00", "2020-05-10T10:00:00", Ohio)],
            ElasticIpAllocations = [new ElasticIpAllocation("CUST001", Ohio, "52.0.0.1", T("2019-05-10T00:00:00"), T("2019-05-10T01:00:00"), false)],
            ElasticIpRates = [new ElasticIpRate(Ohio, 0.005m)],
        });

        Assert.Equal(new BillingMonth(2019, 5), result.Bills[0].Month);
        Assert.Equal(0, Line(Single(result, "CUST001", 2020, 5), "t3.micro", Ohio).FreeHours);
    }
}
