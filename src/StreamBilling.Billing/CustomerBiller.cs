namespace StreamBilling.Billing;

/// <summary>Bills one customer's valid records, month by month.</summary>
internal static class CustomerBiller
{
    public static List<MonthlyBill> Bill(ValidatedInput validated, CustomerRecords customer)
    {
        var input = validated.Input;
        var lines = new Dictionary<LineKey, LineTotals>();
        var freeCandidates = new List<FreeTierCandidate>();
        var firstMonth = new BillingMonth(9998, 12);

        foreach (var index in customer.Usage)
        {
            var row = input.Usage[index];
            var rate = validated.UsageRates[index]!.OnDemandRate;
            var instance = validated.UsageInstanceKeys[index];
            string? eligibleType = null;
            var eligible = validated.FreeTier is not null
                && validated.FreeTier.TryGet(row.Region, out eligibleType)
                && string.Equals(eligibleType, row.InstanceType, StringComparison.Ordinal);
            foreach (var piece in MonthSplitter.Split(row.From, row.Until))
            {
                var totals = Totals(lines, new LineKey(piece.Month, row.Region, row.InstanceType, Pricing.OnDemand), rate);
                var billed = piece.BilledHours;
                totals.Add(instance, piece.UsedTime.Ticks, billed);
                if (piece.Month < firstMonth)
                {
                    firstMonth = piece.Month;
                }

                if (eligible && billed > 0)
                {
                    freeCandidates.Add(new FreeTierCandidate(piece.Month, row.Os, piece.From, instance, row.Region, index, billed, totals));
                }
            }
        }

        foreach (var index in customer.Reserved)
        {
            var row = input.ReservedInstances[index];
            var rate = validated.Rates.Find(row.InstanceType, row.Region)!.ReservedRate!.Value;
            var instance = CanonicalId.Of(row.InstanceId);
            var last = BillingMonth.Of(row.EndDate);
            for (var month = BillingMonth.Of(row.StartDate); month <= last; month = month.Next)
            {
                // A reservation is paid for every hour of the month, run or not; used time shows the same hours.
                var hours = 24L * month.Days;
                Totals(lines, new LineKey(month, row.Region, row.InstanceType, Pricing.Reserved), rate)
                    .Add(instance, hours * TimeSpan.TicksPerHour, hours);
                if (month < firstMonth)
                {
                    firstMonth = month;
                }
            }
        }

        var ipLines = ElasticIpBiller.Bill(validated, customer);
        foreach (var key in ipLines.Keys)
        {
            if (key.Month < firstMonth)
            {
                firstMonth = key.Month;
            }
        }

        if (lines.Count == 0 && ipLines.Count == 0)
        {
            return [];
        }

        FreeTierAllocator.Allocate(freeCandidates, firstMonth);
        return Assemble(customer, lines, ipLines);
    }

    private static LineTotals Totals(Dictionary<LineKey, LineTotals> lines, LineKey key, decimal rate)
    {
        if (!lines.TryGetValue(key, out var totals))
        {
            totals = new LineTotals(rate);
            lines.Add(key, totals);
        }

        return totals;
    }

    private static List<MonthlyBill> Assemble(
        CustomerRecords customer, Dictionary<LineKey, LineTotals> lines, Dictionary<IpLineKey, ElasticIpLine> ipLines)
    {
        var byMonth = new SortedDictionary<BillingMonth, (List<BillLine> Lines, List<ElasticIpLine> IpLines)>();
        foreach (var (key, totals) in lines)
        {
            MonthEntry(byMonth, key.Month).Lines.Add(new BillLine(
                key.Region,
                key.InstanceType,
                key.Pricing,
                totals.Instances.Count,
                TimeSpan.FromTicks(totals.UsedTicks),
                totals.BilledHours,
                totals.FreeHours,
                totals.Rate,
                Money.Round(totals.BilledHours * totals.Rate),
                Money.Round(totals.FreeHours * totals.Rate)));
        }

        foreach (var (key, line) in ipLines)
        {
            MonthEntry(byMonth, key.Month).IpLines.Add(line);
        }

        var bills = new List<MonthlyBill>(byMonth.Count);
        foreach (var (month, entry) in byMonth)
        {
            entry.Lines.Sort(static (a, b) =>
            {
                var c = string.CompareOrdinal(a.Region, b.Region);
                c = c != 0 ? c : string.CompareOrdinal(a.InstanceType, b.InstanceType);
                return c != 0 ? c : a.Pricing.CompareTo(b.Pricing);
            });
            entry.IpLines.Sort(static (a, b) =>
            {
                var c = string.CompareOrdinal(a.Region, b.Region);
                return c != 0 ? c : string.CompareOrdinal(a.IpAddress, b.IpAddress);
            });
            bills.Add(new MonthlyBill(customer.DisplayId, customer.Name, month, entry.Lines, entry.IpLines));
        }

        return bills;
    }

    private static (List<BillLine> Lines, List<ElasticIpLine> IpLines) MonthEntry(
        SortedDictionary<BillingMonth, (List<BillLine> Lines, List<ElasticIpLine> IpLines)> byMonth, BillingMonth month)
    {
        if (!byMonth.TryGetValue(month, out var entry))
        {
            entry = ([], []);
            byMonth.Add(month, entry);
        }

        return entry;
    }
}
