using static StreamBilling.Billing.Tests.Fixtures;

namespace StreamBilling.Billing.Tests;

public sealed class ElasticIpTests
{
    private const string Ip = "52.45.78.90";

    private static BillResult Bill(
        IReadOnlyList<ElasticIpAllocation> allocations,
        IReadOnlyList<ElasticIpAssociation>? associations = null,
        IReadOnlyList<UsageRecord>? usage = null,
        IReadOnlyList<ReservedInstance>? reserved = null) =>
        BillCalculator.Calculate(new BillInput
        {
            Customers = TwoCustomers(),
            Rates = RegionRates(),
            Usage = usage ?? [],
            ReservedInstances = reserved ?? [],
            ElasticIpAllocations = allocations,
            ElasticIpAssociations = associations ?? [],
            ElasticIpRates = [new(Ohio, 0.005m), new(Mumbai, 0.006m)],
        });

    private static ElasticIpAllocation Allocate(string customer, string from, string until, bool own = false, string ip = Ip, string region = Ohio) =>
        new(customer, region, ip, T(from), T(until), own);

    private static ElasticIpAssociation Associate(string instance, string from, string until, string ip = Ip) => new(ip, instance, T(from), T(until));

    [Fact]
    public void Calculate_AssociatedInstanceStoppedPartOfTheTime_IdleHoursCharged()
    {
        var result = Bill(
            [Allocate("CUST001", "2021-05-10T10:00:00", "2021-05-10T20:00:00")],
            [Associate("i-1", "2021-05-10T10:00:00", "2021-05-10T20:00:00")],
            [Use("CUST001", "i-1", "t3.micro", "2021-05-10T12:00:00", "2021-05-10T15:00:00", Ohio)]);

        var line = Assert.Single(Single(result, "CUST001", 2021, 5).ElasticIpLines);
        Assert.Equal((TimeSpan.FromHours(10), 7L, 0.0350m), (line.AllocatedTime, line.BilledHours, line.Amount));
    }

    [Fact]
    public void Calculate_NotAssociated_WholeAllocationIdle()
    {
        var result = Bill([Allocate("CUST001", "2021-05-10T15:45:50", "2021-05-12T17:45:50")]);

        var line = Assert.Single(Single(result, "CUST001", 2021, 5).ElasticIpLines);
        Assert.Equal((TimeSpan.FromHours(50), 50L, 0.2500m), (line.AllocatedTime, line.BilledHours, line.Amount));
    }

    [Fact]
    public void Calculate_AssociationOutsideAllocationWindow_Ignored()
    {
        var result = Bill(
            [Allocate("CUST001", "2021-05-27T15:45:50", "2021-05-28T17:45:50")],
            [Associate("i-1", "2021-05-11T12:00:00", "2021-05-11T18:00:00")],
            [Use("CUST001", "i-1", "t3.micro", "2021-05-11T00:00:00", "2021-05-29T00:00:00", Ohio)]);

        Assert.Equal(26, Assert.Single(Single(result, "CUST001", 2021, 5).ElasticIpLines).BilledHours);
    }

    [Fact]
    public void Calculate_AssociationOverhangingAllocation_OnlyOverlapCounts()
    {
        var result = Bill(
            [Allocate("CUST001", "2021-05-10T10:00:00", "2021-05-10T20:00:00")],
            [Associate("i-1", "2021-05-10T08:00:00", "2021-05-10T12:00:00")],
            [Use("CUST001", "i-1", "t3.micro", "2021-05-10T06:00:00", "2021-05-10T22:00:00", Ohio)]);

        Assert.Equal(8, Assert.Single(Single(result, "CUST001", 2021, 5).ElasticIpLines).BilledHours);
    }

    [Fact]
    public void Calculate_SameIpReusedByAnotherCustomer_OtherCustomersAssociationDoesNotCount()
    {
        var result = Bill(
            [
                Allocate("CUST001", "2021-05-10T00:00:00", "2021-05-11T00:00:00"),
                Allocate("CUST002", "2021-05-20T00:00:00", "2021-05-21T00:00:00"),
            ],
            [Associate("i-2", "2021-05-20T00:00:00", "2021-05-21T00:00:00")],
            [Use("CUST002", "i-2", "t3.micro", "2021-05-20T00:00:00", "2021-05-21T00:00:00", Ohio)]);

        Assert.Equal(24, Assert.Single(Single(result, "CUST001", 2021, 5).ElasticIpLines).BilledHours);
        Assert.Equal(0, Assert.Single(Single(result, "CUST002", 2021, 5).ElasticIpLines).BilledHours);
    }

    [Fact]
    public void Calculate_OwnIp_NeverChargedButListed()
    {
        var result = Bill([Allocate("CUST001", "2021-05-12T15:45:50", "2021-05-18T17:45:50", own: true, ip: "52.45.88.91", region: "IN (Mumbai)")]);

        var line = Assert.Single(Single(result, "CUST001", 2021, 5).ElasticIpLines);
        Assert.Equal((new TimeSpan(6, 2, 0, 0), 0L, 0m), (line.AllocatedTime, line.BilledHours, line.Amount));
        Assert.Empty(result.Issues);
    }

    [Fact]
    public void Calculate_TwoShortIdleAllocationsSameIpAndMonth_RoundedUpOnce()
    {
        var result = Bill(
        [
            Allocate("CUST001", "2021-05-10T10:00:00", "2021-05-10T10:30:00"),
            Allocate("CUST001", "2021-05-11T10:00:00", "2021-05-11T10:30:00"),
        ]);

        Assert.Equal(1, Assert.Single(Single(result, "CUST001", 2021, 5).ElasticIpLines).BilledHours);
    }

    [Fact]
    public void Calculate_AssociatedWithReservedInstance_RunningForWholeTerm()
    {
        var result = Bill(
            [Allocate("CUST001", "2021-05-10T10:00:00", "2021-05-10T20:00:00")],
            [Associate("i-r", "2021-05-10T10:00:00", "2021-05-10T20:00:00")],
            reserved: [new ReservedInstance("CUST001", "i-r", "t3.micro", Ohio, InstanceOs.Linux, D("2021-01-01"), D("2021-12-31"))]);

        Assert.Equal(0, Assert.Single(Single(result, "CUST001", 2021, 5).ElasticIpLines).BilledHours);
    }

    [Fact]
    public void Calculate_AllocationAcrossMonthEnd_SplitIntoBothBills()
    {
        var result = Bill([Allocate("CUST001", "2021-05-31T22:00:00", "2021-06-01T02:30:00")]);

        Assert.Equal(2, Assert.Single(Single(result, "CUST001", 2021, 5).ElasticIpLines).BilledHours);
        Assert.Equal(3, Assert.Single(Single(result, "CUST001", 2021, 6).ElasticIpLines).BilledHours);
    }

    [Fact]
    public void Calculate_IpAmount_IncludedInTotalAmount()
    {
        var result = Bill(
            [Allocate("CUST001", "2021-05-10T10:00:00", "2021-05-10T20:00:00")],
            usage: [Use("CUST001", "i-9", "t3.small", "2021-05-10T10:00:00", "2021-05-10T11:00:00", Ohio)]);

        var bill = Single(result, "CUST001", 2021, 5);
        Assert.Equal(0.0209m + 0.0500m, bill.TotalAmount);
    }

    [Fact]
    public void Calculate_NoAllocations_NoElasticIpLines()
    {
        var bill = Single(BillCalculator.Calculate(SeedExample()), "CUST001", 2021, 8);

        Assert.Empty(bill.ElasticIpLines);
    }
}
