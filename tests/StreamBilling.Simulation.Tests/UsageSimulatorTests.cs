using StreamBilling.Contracts;
using StreamBilling.Events.Cdn;
using StreamBilling.Events.Ec2;

namespace StreamBilling.Simulation.Tests;

public sealed class UsageSimulatorTests
{
    private static readonly SimulationOptions Small = new() { Seed = 42, Customers = 8, Duration = TimeSpan.FromHours(6) };

    [Fact]
    public void Generate_SameSeed_SameEvents()
    {
        var first = Fingerprint(new UsageSimulator(Small).Generate());
        var second = Fingerprint(new UsageSimulator(Small).Generate());

        Assert.Equal(first, second);
    }

    [Fact]
    public void Generate_EnumeratedTwice_SameEvents()
    {
        var simulator = new UsageSimulator(Small);

        Assert.Equal(Fingerprint(simulator.Generate()), Fingerprint(simulator.Generate()));
    }

    [Fact]
    public void Generate_DifferentSeed_DifferentEvents()
    {
        var first = Fingerprint(new UsageSimulator(Small).Generate());
        var second = Fingerprint(new UsageSimulator(Small with { Seed = 43 }).Generate());

        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Generate_IsOrderedByTimestamp()
    {
        var events = new UsageSimulator(Small).Generate().ToList();

        Assert.All(events.Zip(events.Skip(1)), pair => Assert.True(pair.First.Timestamp <= pair.Second.Timestamp));
    }

    [Fact]
    public void Generate_NoEventPublishedBeforeItHappened()
    {
        Assert.All(new UsageSimulator(Small).Generate(), e => Assert.True(e.Timestamp >= e.EventTime, $"{e.Topic} {e.EventId()}"));
    }

    [Fact]
    public void Generate_EventTimesLieInTheSimulatedRange()
    {
        var end = Small.Start + Small.Duration;

        Assert.All(new UsageSimulator(Small).Generate(), e => Assert.InRange(e.EventTime, Small.Start, end - TimeSpan.FromTicks(1)));
    }

    [Fact]
    public void Generate_TopicsAndValueTypesMatchTheCatalog()
    {
        var specs = Topics.All.ToDictionary(t => t.Name);

        Assert.All(new UsageSimulator(Small).Generate(), e => Assert.Equal(specs[e.Topic].ValueType, e.Value.GetType()));
    }

    [Fact]
    public void Generate_KeyIsTheTopicsKeyField()
    {
        var specs = Topics.All.ToDictionary(t => t.Name);

        Assert.All(new UsageSimulator(Small).Generate(), e => Assert.Equal(Records.Field(e.Value, specs[e.Topic].Key), e.Key));
    }

    [Fact]
    public void Generate_EveryUsageTopic_GetsEvents()
    {
        var options = new SimulationOptions { Seed = 5, Customers = 30, Duration = TimeSpan.FromDays(1), CostExplorerDelay = TimeSpan.FromHours(1) };
        var usageTopics = Topics.All.Where(t => t.Name.StartsWith("usage.", StringComparison.Ordinal)).Select(t => t.Name);

        var seen = new UsageSimulator(options).Generate().Select(e => e.Topic).ToHashSet();

        Assert.All(usageTopics, topic => Assert.Contains(topic, seen));
    }

    [Fact]
    public void Generate_EveryValue_SerializesToAvroBinary()
    {
        // Decimal quantities must carry exactly the schema's scale, or the Avro writer throws.
        Assert.All(new UsageSimulator(Small).Generate(), e => Assert.NotEmpty(Records.ToAvroBinary(e.Value)));
    }

    [Fact]
    public void Generate_EventIds_AreUniqueApartFromReSends()
    {
        var events = new UsageSimulator(Small).Generate().ToList();

        // A re-send carries the very same record; anything else with a repeated eventId would be a bug.
        foreach (var group in events.GroupBy(e => e.EventId()).Where(g => g.Count() > 1))
        {
            Assert.Single(group.Select(e => e.Value).Distinct());
        }
    }

    [Fact]
    public void Generate_DuplicateRatioZero_NoRepeatedEventIds()
    {
        var events = new UsageSimulator(Small with { DuplicateRatio = 0 }).Generate().ToList();

        Assert.Equal(events.Count, events.Select(e => e.EventId()).Distinct().Count());
    }

    [Fact]
    public void Generate_Instances_SpreadAcrossRegionsRolesAndOperatingSystems()
    {
        var launches = new UsageSimulator(Small).Generate().Select(e => e.Value).OfType<InstanceLaunched>().ToList();

        Assert.True(launches.Select(l => l.region).Distinct().Count() >= 3);
        Assert.True(launches.Select(l => l.tags.TryGetValue("role", out var role) ? role : null).Distinct().Count() >= 3);
        Assert.True(launches.Select(l => l.os).Distinct().Count() >= 2);
        Assert.True(launches.Select(l => l.instanceType).Distinct().Count() >= 3);
    }

    [Fact]
    public void Generate_CostExplorerTotals_ArriveAfterTheDelay()
    {
        var options = Small with { CostExplorerDelay = TimeSpan.FromHours(24) };

        var totals = new UsageSimulator(options).Generate().Where(e => e.Value is CdnTraffic { dataSource: CdnDataSource.CostExplorer }).ToList();

        Assert.NotEmpty(totals);
        Assert.All(totals, e => Assert.True(e.Timestamp >= new DateTimeOffset(((CdnTraffic)e.Value).periodEnd) + TimeSpan.FromHours(24)));
    }

    [Fact]
    public void Generate_CostExplorerDailyTotal_IsCloseToTheCloudWatchSamples()
    {
        var options = new SimulationOptions { Seed = 9, Customers = 5, Duration = TimeSpan.FromDays(2), CdnBurstCustomerRatio = 0 };
        var traffic = new UsageSimulator(options).Generate().Select(e => e.Value).OfType<CdnTraffic>().DistinctBy(t => t.eventId).ToList();

        foreach (var total in traffic.Where(t => t.dataSource == CdnDataSource.CostExplorer))
        {
            var cloudWatch = traffic
                .Where(t => t.dataSource == CdnDataSource.CloudWatch && t.customerId == total.customerId)
                .Where(t => t.periodStart >= total.periodStart && t.periodEnd <= total.periodEnd)
                .Sum(t => t.bytes);

            // CloudWatch is off by at most 2 % per sample; the authoritative total is the exact sum.
            Assert.InRange(cloudWatch, total.bytes * 0.98, total.bytes * 1.02);
        }
    }

    [Fact]
    public void Constructor_InvalidRatio_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => new UsageSimulator(Small with { DuplicateRatio = 1.5 }));

        Assert.Contains(nameof(SimulationOptions.DuplicateRatio), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_DurationNotAWholeNumberOfSamples_Throws()
    {
        Assert.Throws<ArgumentException>(() => new UsageSimulator(Small with { Duration = TimeSpan.FromSeconds(90) }));
    }

    private static List<string> Fingerprint(IEnumerable<SimulatedEvent> events) =>
        events.Select(e => $"{e.Topic}|{e.Key}|{e.Timestamp:O}|{e.EventTime:O}|{Convert.ToBase64String(Records.ToAvroBinary(e.Value))}").ToList();
}
