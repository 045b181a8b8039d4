namespace StreamBilling.Billing.Invoicing;

/// <summary>
/// Composes one month's bill from its ledger and Elastic IP lines: each bill line rounded once, free tier handed out
/// within the 12 months from the first bill month, lines in the bill's order.
/// </summary>
internal static class BillComposer
{
    /// <summary>The month's bill without corrections; null when there is nothing to bill.</summary>
    public static MonthlyBill? Compose(
        string customerId,
        string customerName,
        BillingMonth month,
        MonthLedger? ledger,
        Dictionary<(string Region, string IpAddress), ElasticIpLine> ipLines,
        BillingMonth? firstBillMonth)
    {
        if (ledger is not { HasLines: true } && ipLines.Count == 0)
        {
            return null;
        }

        var free = ledger is { FreeTier.Count: > 0 } && firstBillMonth is { } first && month.MonthsSince(first) < BillCalculator.FreeTierMonths
            ? FreeTierAllocator.Allocate(ledger.FreeTier)
            : [];

        var lines = new List<BillLine>(ledger?.Instances.Count ?? 0);
        foreach (var (key, totals) in ledger?.Instances ?? [])
        {
            var (freeHours, exactDiscount) = free.GetValueOrDefault(key);
            lines.Add(new BillLine(
                key.Region,
                key.InstanceType,
                key.Pricing,
                totals.Instances.Count,
                TimeSpan.FromTicks(totals.UsedTicks),
                totals.BilledHours,
                freeHours,
                totals.ShownRate,
                Money.Round(totals.ExactAmount),
                Money.Round(exactDiscount))
            {
                SourceLineIds = totals.LineIds.ToArray(),
            });
        }

        lines.Sort(static (a, b) =>
        {
            var c = string.CompareOrdinal(a.Region, b.Region);
            c = c != 0 ? c : string.CompareOrdinal(a.InstanceType, b.InstanceType);
            return c != 0 ? c : a.Pricing.CompareTo(b.Pricing);
        });

        var eip = new List<ElasticIpLine>(ipLines.Values);
        eip.Sort(static (a, b) =>
        {
            var c = string.CompareOrdinal(a.Region, b.Region);
            return c != 0 ? c : string.CompareOrdinal(a.IpAddress, b.IpAddress);
        });

        var services = new List<ServiceLine>(ledger?.Services.Count ?? 0);
        foreach (var (key, totals) in ledger?.Services ?? [])
        {
            services.Add(new ServiceLine(key.Service, key.Region, key.UsageType, totals.Resources.Count, totals.Quantity, totals.Unit, totals.ShownRate, Money.Round(totals.ExactAmount))
            {
                SourceLineIds = totals.LineIds.ToArray(),
            });
        }

        services.Sort(static (a, b) =>
        {
            var c = a.Service.CompareTo(b.Service);
            c = c != 0 ? c : string.CompareOrdinal(a.Region, b.Region);
            return c != 0 ? c : string.CompareOrdinal(a.UsageType, b.UsageType);
        });

        return new MonthlyBill(customerId, customerName, month, lines, eip) { ServiceLines = services };
    }
}
