using StreamBilling.Billing.Invoicing;
using StreamBilling.Billing.UsagePricing;

namespace StreamBilling.Billing;

/// <summary>Charges the idle time of a customer's Elastic IPs in a month: held, but not attached to a running instance.</summary>
internal static class ElasticIpBiller
{
    /// <param name="month">The month to bill.</param>
    /// <param name="holdings">The customer's holdings, in a stable order.</param>
    /// <param name="attachmentsByIp">The customer's attachments by address.</param>
    /// <param name="running">When each of the customer's instances ran (canonical instance id).</param>
    public static Dictionary<(string Region, string IpAddress), ElasticIpLine> Bill(
        BillingMonth month,
        IEnumerable<PricedElasticIpHolding> holdings,
        Dictionary<string, List<ElasticIpAttachment>> attachmentsByIp,
        Dictionary<string, List<(DateTimeOffset From, DateTimeOffset Until)>> running)
    {
        var totals = new Dictionary<(string Region, string IpAddress), (long AllocatedTicks, long IdleTicks, decimal Rate)>();
        var covered = new List<(DateTimeOffset From, DateTimeOffset Until)>();
        foreach (var priced in holdings)
        {
            var holding = priced.Holding;
            if (holding.Until <= month.Start || holding.From >= month.End)
            {
                // An empty holding still shows in the month it starts in, as in a batch.
                if (!(holding.From == holding.Until && BillingMonth.Of(holding.From) == month))
                {
                    continue;
                }
            }

            covered.Clear();
            if (!holding.IsOwnIp)
            {
                CollectCovered(holding, attachmentsByIp, running, covered);
            }

            foreach (var piece in MonthSplitter.Split(holding.From, holding.Until))
            {
                if (piece.Month != month)
                {
                    continue;
                }

                var allocated = piece.UsedTime.Ticks;
                var idle = holding.IsOwnIp ? 0 : allocated - OverlapTicks(covered, piece.From, piece.Until);
                var key = (holding.Region, holding.IpAddress);
                var current = totals.GetValueOrDefault(key);

                // The customer's own IP has no rate; the line shows the rate of the charged holdings.
                totals[key] = (current.AllocatedTicks + allocated, current.IdleTicks + idle, holding.IsOwnIp ? current.Rate : priced.PerHour);
            }
        }

        var result = new Dictionary<(string Region, string IpAddress), ElasticIpLine>(totals.Count);
        foreach (var (key, t) in totals)
        {
            // Rounded up once per (IP, month), not per holding.
            var billed = MonthSplitter.BilledHours(TimeSpan.FromTicks(t.IdleTicks));
            result.Add(key, new ElasticIpLine(key.Region, key.IpAddress, TimeSpan.FromTicks(t.AllocatedTicks), billed, t.Rate, Money.Round(billed * t.Rate)));
        }

        return result;
    }

    /// <summary>The parts of the holding during which the IP was attached to a running instance, merged.</summary>
    private static void CollectCovered(
        ElasticIpHolding holding,
        Dictionary<string, List<ElasticIpAttachment>> attachmentsByIp,
        Dictionary<string, List<(DateTimeOffset From, DateTimeOffset Until)>> running,
        List<(DateTimeOffset From, DateTimeOffset Until)> covered)
    {
        if (!attachmentsByIp.TryGetValue(holding.IpAddress, out var attachments))
        {
            return;
        }

        foreach (var attachment in attachments)
        {
            // Only the part of an attachment inside this holding counts; the same IP may be held again later.
            var from = Max(attachment.From, holding.From);
            var until = Min(attachment.Until, holding.Until);
            if (from >= until || !running.TryGetValue(CanonicalId.Of(attachment.InstanceId), out var intervals))
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
