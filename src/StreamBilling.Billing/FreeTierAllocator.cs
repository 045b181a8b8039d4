namespace StreamBilling.Billing;

/// <summary>Hands out each month's free hours, per OS, to eligible pieces in the order they started.</summary>
internal static class FreeTierAllocator
{
    public static void Allocate(List<FreeTierCandidate> candidates, BillingMonth firstBillMonth)
    {
        if (candidates.Count == 0)
        {
            return;
        }

        // Chronological by piece start; ties by instance, then region, then input order so the result is stable.
        candidates.Sort(static (a, b) =>
        {
            var c = a.Month.CompareTo(b.Month);
            c = c != 0 ? c : a.Os.CompareTo(b.Os);
            c = c != 0 ? c : a.Start.CompareTo(b.Start);
            c = c != 0 ? c : string.CompareOrdinal(a.Instance, b.Instance);
            c = c != 0 ? c : string.CompareOrdinal(a.Region, b.Region);
            return c != 0 ? c : a.RowIndex.CompareTo(b.RowIndex);
        });

        var month = default(BillingMonth);
        var os = default(InstanceOs);
        long remaining = 0;
        var first = true;
        foreach (var candidate in candidates)
        {
            if (candidate.Month.MonthsSince(firstBillMonth) >= BillCalculator.FreeTierMonths)
            {
                continue;
            }

            if (first || candidate.Month != month || candidate.Os != os)
            {
                // A new month or OS starts with a full allowance: unused hours never roll over.
                month = candidate.Month;
                os = candidate.Os;
                remaining = BillCalculator.FreeHoursPerMonth;
                first = false;
            }

            var free = Math.Min(remaining, candidate.BilledHours);
            candidate.Line.FreeHours += free;
            remaining -= free;
        }
    }
}
