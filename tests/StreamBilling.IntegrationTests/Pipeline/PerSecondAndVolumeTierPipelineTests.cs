using StreamBilling.Events.Common;
using StreamBilling.Events.Outputs;

namespace StreamBilling.IntegrationTests.Pipeline;

/// <summary>
/// Every end-to-end check of <see cref="PipelineIntegrationTests"/> again, on a rate card with EC2 per-second billing and
/// CDN volume tiers (the checks' bill engine prices with the same card), plus checks that the run did exercise both rules.
/// </summary>
[Collection(PipelineRun.Collection)]
public sealed class PerSecondAndVolumeTierPipelineTests(PerSecondAndVolumeTierRun run) : PipelineIntegrationTests<PerSecondAndVolumeTierRun>(run)
{
    [Fact]
    public void PerSecondLines_BillEachSessionAtLeastAMinute_InExactHours_AndOnlyTheHourlyTypesByTheHour()
    {
        var lines = Latest().Where(l => l.service == ServiceKind.Ec2).ToList();
        var perSecond = lines.Where(l => l.billedSeconds is not null).ToList();

        Assert.True(perSecond.Count >= 50, $"the run should bill plenty of slices per second, it billed {perSecond.Count}");
        Assert.DoesNotContain(lines, l => l.billedSeconds is null && l.os is OperatingSystemType.Linux && l.purchaseOption is PurchaseOption.OnDemand
            && !PerSecondAndVolumeTierRun.HourlyTypes.Contains(l.instanceType));

        // A session is billed its seconds, at least 60 once, over its slices; in hours counted from its start, so the
        // slices' quantities add up to the session's hours rounded once.
        var sessions = perSecond.GroupBy(l => l.resourceId, StringComparer.Ordinal).ToList();
        Assert.All(sessions, s => Assert.Equal(Math.Max(60, s.Sum(l => l.usedSeconds)), s.Sum(l => l.billedSeconds!.Value)));
        Assert.All(sessions, s => Assert.Equal(Math.Round(s.Sum(l => l.billedSeconds!.Value) / 3600m, 9, MidpointRounding.AwayFromZero), s.Sum(l => (decimal)l.quantity)));
        Assert.Contains(sessions, s => s.Sum(l => l.usedSeconds) > 3600);
    }

    [Fact]
    public void VolumeTierCorrections_RepriceTheMonthAtTheTierItsTotalReaches()
    {
        var cdn = Latest().Where(l => l.service == ServiceKind.Cdn).ToList();

        Assert.True(cdn.Any(l => l.isVolumeTierCorrection), "no correction; monthly totals: " + string.Join(", ", cdn.GroupBy(l => (l.accountId, l.billingMonth)).Select(m => $"{m.Key} {m.Sum(l => (decimal)l.quantity)} GB in {m.Count()} lines")));
        foreach (var month in cdn.GroupBy(l => (l.accountId, l.billingMonth)))
        {
            // Corrections cancel in quantity: the month's total is what its figures add up to.
            var total = month.Sum(l => (decimal)l.quantity);
            var rate = PerSecondAndVolumeTierRun.CdnTiers.First(t => t.UpTo is null || total <= t.UpTo).PerUnit;
            var amount = month.Sum(l => (decimal)l.amount);
            Assert.True(Math.Abs(amount - (total * rate)) <= month.Count() * 0.000001m, $"{month.Key}: {amount} for {total} GB, expected {total * rate} (rate {rate})");
        }
    }

    private List<PricedLineItem> Latest()
    {
        var latest = new Dictionary<string, PricedLineItem>(StringComparer.Ordinal);
        foreach (var line in Run.PricedLines)
        {
            latest[line.eventId] = line;
        }

        return [.. latest.Values.Where(l => !l.isRetraction)];
    }
}
