using StreamBilling.Events.Ec2;

namespace StreamBilling.Simulation.Tests;

public sealed class AnomalyTests
{
    // Many short-lived instances so the ratios are measured on thousands of samples.
    private static readonly SimulationOptions Options = new()
    {
        Seed = 7,
        Customers = 50,
        Duration = TimeSpan.FromDays(2),
        InstancesPerCustomer = 40,
        MaxInstanceLifetime = TimeSpan.FromHours(6),
        CdnSampleInterval = TimeSpan.FromMinutes(5),
        NeverTerminatedRatio = 0.1,
        TerminateBeforeLaunchRatio = 0.05,
        DuplicateRatio = 0.02,
    };

    [Fact]
    public void NeverTerminatedRatio_IsHonoured()
    {
        var events = new UsageSimulator(Options).Generate().ToList();
        var terminated = events.Select(e => e.Value).OfType<InstanceTerminated>().Select(t => t.instanceId).ToHashSet();

        // Only instances launched early enough would have terminated within the range had they not been "never terminated".
        var cutoff = (Options.Start + Options.Duration - Options.MaxInstanceLifetime).UtcDateTime;
        var launches = events.Select(e => e.Value).OfType<InstanceLaunched>().DistinctBy(l => l.eventId).Where(l => l.eventTime < cutoff).ToList();
        var ratio = launches.Count(l => !terminated.Contains(l.instanceId)) / (double)launches.Count;

        Assert.True(launches.Count > 1000);
        Assert.InRange(ratio, 0.07, 0.13);
    }

    [Fact]
    public void TerminateBeforeLaunchRatio_IsHonoured()
    {
        var events = new UsageSimulator(Options).Generate().ToList();
        var firstSeen = new Dictionary<string, Type>();
        foreach (var e in events.Where(e => e.Value is InstanceLaunched or InstanceTerminated))
        {
            firstSeen.TryAdd(e.Key, e.Value.GetType());
        }

        var terminatedIds = events.Select(e => e.Value).OfType<InstanceTerminated>().Select(t => t.instanceId).ToHashSet();
        var ratio = terminatedIds.Count(id => firstSeen[id] == typeof(InstanceTerminated)) / (double)terminatedIds.Count;

        Assert.InRange(ratio, 0.035, 0.065);
    }

    [Fact]
    public void TerminateBeforeLaunch_LaunchStillCarriesTheEarlierEventTime()
    {
        var events = new UsageSimulator(Options).Generate().ToList();
        var terminates = events.Where(e => e.Value is InstanceTerminated).GroupBy(e => e.Key).ToDictionary(g => g.Key, g => g.First());

        var lateLaunches = events.Where(e => e.Value is InstanceLaunched && terminates.TryGetValue(e.Key, out var t) && t.Timestamp < e.Timestamp).ToList();

        Assert.NotEmpty(lateLaunches);
        Assert.All(lateLaunches, l => Assert.True(l.EventTime < terminates[l.Key].EventTime));
    }

    [Fact]
    public void DuplicateRatio_IsHonoured()
    {
        var events = new UsageSimulator(Options).Generate().ToList();
        var distinct = events.Select(e => e.EventId()).Distinct().Count();

        var ratio = (events.Count - distinct) / (double)distinct;

        Assert.InRange(ratio, 0.017, 0.023);
    }

    [Fact]
    public void Duplicates_AreReSentAfterTheOriginal_WithinFiveMinutes()
    {
        var events = new UsageSimulator(Options).Generate().ToList();

        foreach (var group in events.GroupBy(e => e.EventId()).Where(g => g.Count() > 1))
        {
            var (original, resent) = (group.First(), group.Last());
            Assert.InRange(resent.Timestamp - original.Timestamp, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
        }
    }

    [Fact]
    public void NeverTerminatedRatioZero_EveryEarlyInstanceTerminates()
    {
        var events = new UsageSimulator(Options with { NeverTerminatedRatio = 0 }).Generate().ToList();
        var terminated = events.Select(e => e.Value).OfType<InstanceTerminated>().Select(t => t.instanceId).ToHashSet();
        var cutoff = (Options.Start + Options.Duration - Options.MaxInstanceLifetime).UtcDateTime;

        var early = events.Select(e => e.Value).OfType<InstanceLaunched>().Where(l => l.eventTime < cutoff);

        Assert.All(early, l => Assert.Contains(l.instanceId, terminated));
    }
}
