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

    [Fact]
    public void Calculate_UsageDatedYear9999_RejectedInsteadOfThrowing()
    {
        var result = BillCalculator.Calculate(WithUsage(
            Use("CUST001", "i-1", "t3.small", "2021-08-10T10:00:00", "2021-08-10T11:00:00"),
            Use("CUST001", "i-2", "t3.small", "9999-12-31T00:00:00", "9999-12-31T23:59:59")));

        var issue = Assert.Single(result.Issues);
        Assert.Equal((InputKind.Usage, 1), (issue.Kind, issue.Index));
        Assert.Contains("Used From 9999-12-31T00:00:00 is beyond the last billable date 9998-12-01T00:00:00", issue.Reason, StringComparison.Ordinal);
        Assert.Single(result.Bills);
    }

    [Fact]
    public void Calculate_ReservationEndingInYear9998December_RejectedInsteadOfThrowing()
    {
        var input = WithUsage() with
        {
            Rates = RegionRates(),
            ReservedInstances = [new ReservedInstance("CUST001", "i-r", "t3.micro", Ohio, InstanceOs.Linux, D("9998-01-01"), D("9998-12-31"))],
        };

        Assert.Contains("End Date 9998-12-31T00:00:00 is beyond the last billable date", Assert.Single(BillCalculator.Calculate(input).Issues).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_EventTimesAfterTheLatestEventTime_RejectedAsFutureTimestamp()
    {
        var latest = T("2021-09-01T00:05:00");
        var input = WithUsage(
            Use("CUST001", "i-1", "t3.small", "2021-08-31T23:00:00", "2021-09-01T00:05:00"),
            Use("CUST001", "i-2", "t3.small", "2021-08-31T23:00:00", "2021-09-01T00:05:01")) with
        {
            Rates = RegionRates(),
            ReservedInstances = [new ReservedInstance("CUST001", "i-r", "t3.micro", Ohio, InstanceOs.Linux, D("2021-10-01"), D("2022-09-30"))],
            ElasticIpAllocations = [new ElasticIpAllocation("CUST002", Ohio, "1.2.3.4", T("2021-08-01T00:00:00"), T("2021-09-02T00:00:00"), false)],
            ElasticIpAssociations = [new ElasticIpAssociation("1.2.3.4", "i-1", T("2021-09-01T00:06:00"), T("2021-09-01T01:00:00"))],
            ElasticIpRates = [new ElasticIpRate(Ohio, 0.005m)],
        };

        var issues = BillCalculator.Validate(input, latest).Issues;

        Assert.Equal(
            [(InputKind.Usage, 1), (InputKind.ReservedInstance, 0), (InputKind.ElasticIpAllocation, 0), (InputKind.ElasticIpAssociation, 0)],
            issues.Select(i => (i.Kind, i.Index)).Order());
        Assert.All(issues, i => Assert.EndsWith("is later than 2021-09-01T00:05:00, the current time plus the allowed clock skew (future-timestamp)", i.Reason, StringComparison.Ordinal));
        Assert.Empty(BillCalculator.Validate(input).Issues);
    }

    [Fact]
    public void Calculate_OverlappingAllocationsOfOneAddress_LaterRowRejectedWithTheEarlierOne()
    {
        var input = WithUsage() with
        {
            ElasticIpRates = [new ElasticIpRate(Ohio, 0.005m)],
            ElasticIpAllocations =
            [
                new ElasticIpAllocation("CUST001", Ohio, "1.2.3.4", T("2021-05-10T00:00:00"), T("2021-05-12T00:00:00"), false),
                new ElasticIpAllocation("CUST002", Ohio, "1.2.3.4", T("2021-05-12T00:00:00"), T("2021-05-13T00:00:00"), false),
                new ElasticIpAllocation("CUST001", Ohio, "1.2.3.4", T("2021-05-11T00:00:00"), T("2021-05-11T01:00:00"), true),
                new ElasticIpAllocation("CUST002", Ohio, "1.2.3.4", T("2021-05-12T12:00:00"), T("2021-05-14T00:00:00"), false),
            ],
        };

        var result = BillCalculator.Calculate(input);

        Assert.Equal([(2, 0), (3, 1)], result.Issues.Select(i => (i.Index, i.RelatedIndex ?? -1)));
        Assert.Contains("Elastic IP 1.2.3.4 is allocated twice at once", result.Issues[0].Reason, StringComparison.Ordinal);
        Assert.Equal(48, Assert.Single(Single(result, "CUST001", 2021, 5).ElasticIpLines).BilledHours);
    }

    [Theory]
    [InlineData("79228162514264337593543950335")]
    [InlineData("1000000000000")]
    public void Calculate_RateBeyondLargestAmount_RateRejectedAndUsageNamesItAsCause(string rate)
    {
        var input = WithUsage(Use("CUST001", "i-1", "t3.small", "2021-08-10T10:00:00", "2021-08-10T11:00:00")) with
        {
            Rates = [new("t3.small", string.Empty, decimal.Parse(rate, System.Globalization.CultureInfo.InvariantCulture), null)],
        };

        var issues = BillCalculator.Calculate(input).Issues;

        Assert.Equal([InputKind.Rate, InputKind.Usage], issues.Select(i => i.Kind));
        Assert.Contains("exceeds the largest billable amount $999,999,999,999.999999", issues[0].Reason, StringComparison.Ordinal);
        Assert.Equal(InputKind.Rate, issues[1].Cause);
    }

    [Fact]
    public void Calculate_MonthTotalBeyondLargestAmount_MonthIssueAndNoBillsForThatCustomer()
    {
        var input = WithUsage(
            Use("CUST001", "i-1", "t3.large", "2021-08-10T10:00:00", "2021-08-10T11:00:00"),
            Use("CUST001", "i-2", "t3.large", "2021-08-10T10:00:00", "2021-08-10T11:00:00"),
            Use("CUST001", "i-3", "t3.large", "2021-07-10T10:00:00", "2021-07-10T11:00:00"),
            Use("CUST002", "i-4", "t3.small", "2021-08-10T10:00:00", "2021-08-10T11:00:00")) with
        {
            Rates = [.. SeedRates(), new("t3.large", string.Empty, 600_000_000_000m, null)],
        };

        var result = BillCalculator.Calculate(input);

        Assert.Empty(result.Issues);
        var issue = Assert.Single(result.MonthIssues);
        Assert.Equal(("CUST001", new BillingMonth(2021, 8)), (issue.CustomerId, issue.Month));
        Assert.Equal(["CUST002"], result.Bills.Select(b => b.CustomerId));
    }

    [Fact]
    public void Calculate_CustomerWhoseRowIsRejected_UsageNamesTheCustomerRowAsCause()
    {
        var input = WithUsage(Use("CUST001", "i-1", "t3.small", "2021-08-10T10:00:00", "2021-08-10T11:00:00")) with
        {
            Customers = [new("CUST-001", "ABC"), new("cust001", "Other")],
        };

        var usage = Assert.Single(BillCalculator.Calculate(input).Issues, i => i.Kind == InputKind.Usage);

        Assert.Equal(("customer CUST001 is not billable: its customer row is rejected", InputKind.Customer), (usage.Reason, usage.Cause));
    }
}
