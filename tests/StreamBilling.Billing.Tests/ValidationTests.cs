using static StreamBilling.Billing.Tests.Fixtures;

namespace StreamBilling.Billing.Tests;

public sealed class ValidationTests
{
    private static BillInput WithUsage(params UsageRecord[] usage) => new() { Customers = TwoCustomers(), Rates = SeedRates(), Usage = usage };

    [Fact]
    public void Calculate_UnknownCustomer_RejectedWithReason()
    {
        var result = BillCalculator.Calculate(WithUsage(Use("CUST009", "i-1", "t3.small", "2021-08-10T10:00:00", "2021-08-10T11:00:00")));

        var issue = Assert.Single(result.Issues);
        Assert.Equal((InputKind.Usage, 0), (issue.Kind, issue.Index));
        Assert.Contains("unknown customer CUST009", issue.Reason, StringComparison.Ordinal);
        Assert.Empty(result.Bills);
    }

    [Fact]
    public void Calculate_TypeWithoutRate_Rejected()
    {
        var result = BillCalculator.Calculate(WithUsage(Use("CUST001", "i-1", "m5.large", "2021-08-10T10:00:00", "2021-08-10T11:00:00")));

        Assert.Contains("no rate for m5.large", Assert.Single(result.Issues).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Calculate_RegionWithoutRate_Rejected()
    {
        var input = WithUsage() with
        {
            Rates = [new("t3.small", Ohio, 0.0209m, null)],
            Usage = [Use("CUST001", "i-1", "t3.small", "2021-08-10T10:00:00", "2021-08-10T11:00:00", Mumbai)],
        };

        Assert.Contains($"no rate for t3.small in {Mumbai}", Assert.Single(BillCalculator.Calculate(input).Issues).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Calculate_UntilBeforeFrom_Rejected()
    {
        var result = BillCalculator.Calculate(WithUsage(Use("CUST001", "i-1", "t3.small", "2021-08-10T10:00:00", "2021-08-10T09:00:00")));

        Assert.Contains("Used Until is before Used From", Assert.Single(result.Issues).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Calculate_SeveralBadRows_EveryOneListedAndGoodRowsStillBilled()
    {
        var result = BillCalculator.Calculate(WithUsage(
            Use("CUST009", "i-1", "t3.small", "2021-08-10T10:00:00", "2021-08-10T11:00:00"),
            Use("CUST001", "i-2", "t3.small", "2021-08-10T10:00:00", "2021-08-10T11:00:00"),
            Use("CUST001", "i-3", "m5.large", "2021-08-10T10:00:00", "2021-08-10T09:00:00")));

        Assert.Equal([0, 2], result.Issues.Select(i => i.Index));
        Assert.Contains(";", result.Issues[1].Reason, StringComparison.Ordinal);
        Assert.Equal(1, Line(Single(result, "CUST001", 2021, 8), "t3.small").BilledHours);
    }

    [Fact]
    public void Calculate_DuplicateRate_BothRowsRejectedAndUsageHasNoRate()
    {
        var input = WithUsage(Use("CUST001", "i-1", "t3.small", "2021-08-10T10:00:00", "2021-08-10T11:00:00")) with
        {
            Rates = [new("t3.small", string.Empty, 0.0209m, null), new("t3.small", string.Empty, 0.0300m, null)],
        };

        var issues = BillCalculator.Calculate(input).Issues;

        Assert.Equal([InputKind.Rate, InputKind.Rate, InputKind.Usage], issues.Select(i => i.Kind));
    }

    [Fact]
    public void Calculate_ReservedTermNotWholeMonths_Rejected()
    {
        var input = WithUsage() with
        {
            Rates = RegionRates(),
            ReservedInstances = [new ReservedInstance("CUST001", "i-r", "t3.micro", Ohio, InstanceOs.Linux, D("2021-01-02"), D("2021-12-30"))],
        };

        var reason = Assert.Single(BillCalculator.Calculate(input).Issues).Reason;

        Assert.Contains("Start Date is not the first day of a month", reason, StringComparison.Ordinal);
        Assert.Contains("End Date is not the last day of a month", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Calculate_ReservedWithoutReservedRate_Rejected()
    {
        var input = WithUsage() with
        {
            ReservedInstances = [new ReservedInstance("CUST001", "i-r", "t3.micro", string.Empty, InstanceOs.Linux, D("2021-01-01"), D("2021-12-31"))],
        };

        Assert.Contains("no reserved rate", Assert.Single(BillCalculator.Calculate(input).Issues).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Calculate_UsageOfReservedInstance_Rejected()
    {
        var input = WithUsage(Use("CUST001", "i-r", "t3.micro", "2021-08-10T10:00:00", "2021-08-10T11:00:00", Ohio)) with
        {
            Rates = RegionRates(),
            ReservedInstances = [new ReservedInstance("CUST001", "i-r", "t3.micro", Ohio, InstanceOs.Linux, D("2021-01-01"), D("2021-12-31"))],
        };

        var issue = Assert.Single(BillCalculator.Calculate(input).Issues);

        Assert.Equal(InputKind.Usage, issue.Kind);
    }

    [Fact]
    public void Calculate_ElasticIpRegionWithoutRate_Rejected()
    {
        var input = WithUsage() with
        {
            ElasticIpAllocations = [new ElasticIpAllocation("CUST001", Ohio, "1.2.3.4", T("2021-05-10T10:00:00"), T("2021-05-10T11:00:00"), false)],
        };

        var issue = Assert.Single(BillCalculator.Calculate(input).Issues);

        Assert.Equal(InputKind.ElasticIpAllocation, issue.Kind);
        Assert.Contains("no Elastic IP rate", issue.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Calculate_DuplicateCustomer_Rejected()
    {
        var input = WithUsage() with { Customers = [new("CUST-001", "ABC"), new("cust001", "Other")] };

        Assert.Equal(2, BillCalculator.Calculate(input).Issues.Count);
    }
}
