using System.Collections.Concurrent;
using static StreamBilling.Billing.Tests.Fixtures;

namespace StreamBilling.Billing.Tests;

public sealed class StreamedCalculateTests
{
    [Fact]
    public void Calculate_Streamed_SameBillsPerCustomerAsCollected()
    {
        var collected = BillCalculator.Calculate(SeedExample()).Bills;
        var streamed = new ConcurrentDictionary<int, IReadOnlyList<MonthlyBill>>();

        BillCalculator.Calculate(BillCalculator.Validate(SeedExample()), (index, bills) => Assert.True(streamed.TryAdd(index, bills)));

        Assert.Equal([0, 1], streamed.Keys.Order());
        Assert.Equal(collected.Select(Describe), streamed.OrderBy(p => p.Key).SelectMany(p => p.Value).Select(Describe));
    }

    private static string Describe(MonthlyBill bill) =>
        $"{bill.CustomerId} {bill.Month} {string.Join(" | ", bill.Lines)} {string.Join(" | ", bill.ElasticIpLines)}";

    [Fact]
    public void Validate_BadRow_IssueKnownBeforeAnythingIsBilled()
    {
        var input = SeedExample() with { Usage = [.. SeedExample().Usage, Use("CUST009", "i-1", "t3.small", "2021-08-10T10:00:00", "2021-08-10T11:00:00")] };

        var validated = BillCalculator.Validate(input);

        Assert.Equal((InputKind.Usage, 8), (Assert.Single(validated.Issues).Kind, validated.Issues[0].Index));
        Assert.Equal(2, validated.CustomerCount);
    }
}
