namespace StreamBilling.Billing;

/// <summary>Charges the idle time of a customer's Elastic IPs: allocated, but not attached to a running instance.</summary>
internal static class ElasticIpBiller
{
    public static Dictionary<IpLineKey, ElasticIpLine> Bill(ValidatedInput validated, CustomerRecords customer)
    {
        var result = new Dictionary<IpLineKey, ElasticIpLine>();
        if (customer.Allocations.Count == 0)
        {
            return result;
        }

        var input = validated.Input;
        var running = RunningIntervals(validated, customer);
        var totals = new Dictionary<IpLineKey, (long AllocatedTicks, long IdleTicks, decimal Rate)>();
        var covered = new List<(DateTimeOffset From, DateTimeOffset Until)>();
        foreach (var index in customer.Allocations)
        {
            var allocation = input.ElasticIpAllocations[index];
            covered.Clear();
            if (!allocation.IsOwnIp)
            {
                CollectCovered(allocation, validated, running, covered);
            }

            var rate = 0m;
            if (!allocation.IsOwnIp)
            {
                validated.ElasticIpRates.TryGet(allocation.Region, out rate);
            }

            foreach (var piece in MonthSplitter.Split(allocation.From, allocation.Until))
            {
                var allocated = piece.UsedTime.Ticks;
                var idle = allocation.IsOwnIp ? 0 : allocated - OverlapTicks(covered, piece.From, piece.Until);
                var key = new IpLineKey(piece.Month, allocation.Region, allocation.IpAddress);
                var current = totals.GetValueOrDefault(key);
                totals[key] = (
                    current.AllocatedTicks + allocated,
                    current.IdleTicks + idle,
                    allocation.IsOwnIp ? current.Rate : rate);
            }
        }

        foreach (var (key, t) in totals)
        {
            // Rounded up once per (IP, month), not per allocation row.
            var billed = MonthSplitter.BilledHours(TimeSpan.FromTicks(t.IdleTicks));
            result.Add(key, new ElasticIpLine(key.Region, key.IpAddress, TimeSpan.FromTicks(t.AllocatedTicks), billed, t.Rate, Money.Round(billed * t.Rate)));
        }

        return result;
    }

    /// <summary>When each of the customer's instances was running: its usage rows and its whole reserved term.</summary>
    private static Dictionary<string, List<(DateTimeOffset From, DateTimeOffset Until)>> RunningIntervals(ValidatedInput validated, CustomerRecords customer)
    {
        var input = validated.Input;
        var running = new Dictionary<string, List<(DateTimeOffset, DateTimeOffset)>>(StringComparer.Ordinal);
        foreach (var index in customer.Usage)
        {
            var row = input.Usage[index];
            Add(running, validated.UsageInstanceKeys[index], row.From, row.Until);
        }

        foreach (var index in customer.Reserved)
        {
            var row = input.ReservedInstances[index];
            var from = new DateTimeOffset(row.StartDate, TimeOnly.MinValue, TimeSpan.Zero);
            var until = new DateTimeOffset(row.EndDate.AddDays(1), TimeOnly.MinValue, TimeSpan.Zero);
            Add(running, CanonicalId.Of(row.InstanceId), from, until);
        }

        return running;

        static void Add(Dictionary<string, List<(DateTimeOffset, DateTimeOffset)>> map, string key, DateTimeOffset from, DateTimeOffset until)
        {
            if (!map.TryGetValue(key, out var list))
            {
                list = [];
                map.Add(key, list);
            }

            list.Add((from, until));
        }
    }

    /// <summary>The parts of the allocation during which the IP was attached to a running instance, merged.</summary>
    private static void CollectCovered(
        ElasticIpAllocation allocation,
        ValidatedInput validated,
        Dictionary<string, List<(DateTimeOffset From, DateTimeOffset Until)>> running,
        List<(DateTimeOffset From, DateTimeOffset Until)> covered)
    {
        if (!validated.AssociationsByIp.TryGetValue(allocation.IpAddress, out var associations))
        {
            return;
        }

        foreach (var association in associations)
        {
            // Only the part of an association inside this allocation counts; the same IP may belong to others before or after.
            var from = Max(association.From, allocation.From);
            var until = Min(association.Until, allocation.Until);
            if (from >= until || !running.TryGetValue(CanonicalId.Of(association.InstanceId), out var intervals))
            {
                continue;
            }

            foreach (var interval in intervals)
            {
                var s = Max(from, interval.From);
                var e = Min(until, interval.Until);
                if (s < e)
                {
                    covered.Add((s, e));
                }
            }
        }

        if (covered.Count < 2)
        {
            return;
        }

        covered.Sort(static (a, b) => a.From.CompareTo(b.From));
        var merged = 0;
        for (var i = 1; i < covered.Count; i++)
        {
            if (covered[i].From <= covered[merged].Until)
            {
                covered[merged] = (covered[merged].From, Max(covered[merged].Until, covered[i].Until));
            }
            else
            {
                covered[++merged] = covered[i];
            }
        }

        covered.RemoveRange(merged + 1, covered.Count - merged - 1);
    }

    private static long OverlapTicks(List<(DateTimeOffset From, DateTimeOffset Until)> intervals, DateTimeOffset from, DateTimeOffset until)
    {
        long ticks = 0;
        foreach (var interval in intervals)
        {
            var s = Max(from, interval.From);
            var e = Min(until, interval.Until);
            if (s < e)
            {
                ticks += (e - s).Ticks;
            }
        }

        return ticks;
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
