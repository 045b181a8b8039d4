using StreamBilling.Events.Cdn;

namespace StreamBilling.Simulation.Tests;

public sealed class CdnBurstTests
{
    // Seed 001's caps, in bytes (1 GB = 10^9 bytes).
    internal const long FifteenMinuteCap = 100_000_000_000;
    internal const long ThreeHourCap = 500_000_000_000;

    private static readonly SimulationOptions Options = new() { Seed = 11, Customers = 20, Duration = TimeSpan.FromDays(1), CdnBurstCustomerRatio = 0.2 };

    [Fact]
    public void Customers_BurstShare_MatchesTheRatio_AndCoversBothCaps()
    {
        var customers = new UsageSimulator(Options).Customers;

        Assert.Equal(4, customers.Count(c => c.Burst != CdnBurst.None));
        Assert.Equal(2, customers.Count(c => c.Burst == CdnBurst.FifteenMinutes));
        Assert.Equal(2, customers.Count(c => c.Burst == CdnBurst.ThreeHours));
    }

    [Fact]
    public void FifteenMinuteBurstCustomers_CrossTheFifteenMinuteCap()
    {
        var windows = MaxWindowBytes(new UsageSimulator(Options));

        Assert.All(Burst(CdnBurst.FifteenMinutes), c => Assert.True(windows[c].FifteenMinutes > FifteenMinuteCap, c));
    }

    [Fact]
    public void ThreeHourBurstCustomers_CrossOnlyTheThreeHourCap()
    {
        var windows = MaxWindowBytes(new UsageSimulator(Options));

        Assert.All(Burst(CdnBurst.ThreeHours), c =>
        {
            Assert.True(windows[c].ThreeHours > ThreeHourCap, c);
            Assert.True(windows[c].FifteenMinutes < FifteenMinuteCap, c);
        });
    }

    [Fact]
    public void OtherCustomers_StayUnderBothCaps()
    {
        var windows = MaxWindowBytes(new UsageSimulator(Options));

        Assert.All(Burst(CdnBurst.None), c =>
        {
            Assert.True(windows[c].FifteenMinutes < FifteenMinuteCap, c);
            Assert.True(windows[c].ThreeHours < ThreeHourCap, c);
        });
    }

    [Fact]
    public void BurstWindow_IsCoveredByAWindowStartingAtBurstStart()
    {
        var simulator = new UsageSimulator(Options);
        var samples = CloudWatch(simulator);

        // Hopping windows advance by 1 or 5 minutes; bursts start on a 5-minute boundary, so some window covers one exactly.
        Assert.All(simulator.Customers.Where(c => c.Burst != CdnBurst.None), c =>
        {
            Assert.Equal(0, c.BurstStart!.Value.Minute % 5);
            var inBurst = samples.Where(s => s.customerId == c.CustomerId && s.periodStart >= c.BurstStart.Value.UtcDateTime && s.periodEnd <= c.BurstEnd!.Value.UtcDateTime).Sum(s => s.bytes);
            Assert.True(inBurst > (c.Burst == CdnBurst.FifteenMinutes ? FifteenMinuteCap : ThreeHourCap));
        });
    }

    private static IEnumerable<string> Burst(CdnBurst burst) =>
        new UsageSimulator(Options).Customers.Where(c => c.Burst == burst).Select(c => c.CustomerId);

    private static List<CdnTraffic> CloudWatch(UsageSimulator simulator) =>
        simulator.Generate().Select(e => e.Value).OfType<CdnTraffic>()
            .Where(t => t.dataSource == CdnDataSource.CloudWatch)
            .DistinctBy(t => t.eventId) // a re-sent sample must not count twice
            .ToList();

    // Largest CloudWatch total over every 15-minute and 3-hour window (sliding by one sample), per customer.
    private static Dictionary<string, (long FifteenMinutes, long ThreeHours)> MaxWindowBytes(UsageSimulator simulator) =>
        CloudWatch(simulator).GroupBy(t => t.customerId).ToDictionary(g => g.Key, g =>
        {
            var perMinute = g.OrderBy(t => t.periodStart).Select(t => t.bytes).ToArray();
            return (MaxSum(perMinute, 15), MaxSum(perMinute, 180));
        });

    private static long MaxSum(long[] values, int width)
    {
        long sum = 0, max = 0;
        for (var i = 0; i < values.Length; i++)
        {
            sum += values[i] - (i >= width ? values[i - width] : 0);
            max = Math.Max(max, sum);
        }

        return max;
    }
}
