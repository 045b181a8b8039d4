namespace StreamBilling.Billing.Invoicing;

/// <summary>
/// A customer's closed months: each keeps its final bill and what has been billed for it since (final bill plus the
/// corrections carried for it). Usage of a closed month that arrives later becomes <see cref="CorrectionLine"/>s on the
/// first open month after it: the month's bill as it would be now, less what was billed.
/// </summary>
internal sealed class ClosedMonths
{
    private readonly SortedDictionary<BillingMonth, ClosedMonth> _closed = [];

    public int Count => _closed.Count;

    /// <summary>Closed months that have a final bill.</summary>
    public IEnumerable<BillingMonth> Billed => _closed.Where(c => c.Value.Bill is not null).Select(c => c.Key);

    public bool IsClosed(BillingMonth month) => _closed.ContainsKey(month);

    /// <summary>The final bill of a closed month (null: closed with nothing to bill); false when the month is open.</summary>
    public bool TryGetFinal(BillingMonth month, out MonthlyBill? bill)
    {
        var closed = _closed.TryGetValue(month, out var found);
        bill = found?.Bill;
        return closed;
    }

    /// <summary>The month itself when open, or for a closed month the first open month after it (which carries the correction).</summary>
    public BillingMonth Carrier(BillingMonth month)
    {
        while (_closed.ContainsKey(month))
        {
            month = month.Next;
        }

        return month;
    }

    /// <summary>Closes a month with its final bill; the corrections that bill carries now count as billed for the months they correct.</summary>
    public void Close(BillingMonth month, MonthlyBill? bill)
    {
        var closed = new ClosedMonth(bill, FiguresOf(bill));
        foreach (var correction in bill?.Corrections ?? [])
        {
            var target = _closed[correction.CorrectsMonth];
            var key = new FigureKey(correction.Service, correction.Region, correction.Item, correction.Pricing);
            target.Billed[key] = target.Billed.GetValueOrDefault(key).Plus(new Figures(correction.Quantity, correction.Unit, correction.Amount, correction.Discount));
        }

        _closed.Add(month, closed);
    }

    /// <summary>Open months that carry corrections: for each closed month, the first open month after it.</summary>
    public HashSet<BillingMonth> CorrectionTargets(Func<BillingMonth, MonthlyBill?> compute)
    {
        var targets = new HashSet<BillingMonth>();
        foreach (var closed in _closed.Keys)
        {
            var target = Carrier(closed);
            if (Corrections(target, compute).Count > 0)
            {
                targets.Add(target);
            }
        }

        return targets;
    }

    /// <summary>
    /// Corrections an open month carries: for each closed month before it whose first open month after it is this one,
    /// the difference between its bill now (<paramref name="compute"/>) and what was billed for it.
    /// </summary>
    public List<CorrectionLine> Corrections(BillingMonth month, Func<BillingMonth, MonthlyBill?> compute)
    {
        var corrections = new List<CorrectionLine>();
        foreach (var (closedMonth, closed) in _closed)
        {
            if (closedMonth >= month || Carrier(closedMonth) != month)
            {
                continue;
            }

            var now = FiguresOf(compute(closedMonth));
            foreach (var key in now.Keys.Union(closed.Billed.Keys).Order())
            {
                var delta = now.GetValueOrDefault(key).Minus(closed.Billed.GetValueOrDefault(key));
                if (delta.Quantity != 0 || delta.Amount != 0 || delta.Discount != 0)
                {
                    corrections.Add(new CorrectionLine(closedMonth, key.Kind, key.Region, key.Item, key.Pricing, delta.Quantity, delta.Unit ?? string.Empty, delta.Amount, delta.Discount));
                }
            }
        }

        return corrections;
    }

    /// <summary>The billed figures of every line of a bill, by line.</summary>
    private static Dictionary<FigureKey, Figures> FiguresOf(MonthlyBill? bill)
    {
        var figures = new Dictionary<FigureKey, Figures>();
        if (bill is null)
        {
            return figures;
        }

        foreach (var line in bill.Lines)
        {
            figures[new FigureKey(BillableService.Ec2, line.Region, line.InstanceType, line.Pricing.ToString())] = new Figures(line.BilledHours, "Hours", line.Amount, line.Discount);
        }

        foreach (var line in bill.ElasticIpLines)
        {
            figures[new FigureKey(BillableService.ElasticIp, line.Region, line.IpAddress, string.Empty)] = new Figures(line.BilledHours, "Hours", line.Amount, 0m);
        }

        foreach (var line in bill.ServiceLines)
        {
            figures[new FigureKey(line.Service, line.Region, line.UsageType, string.Empty)] = new Figures(line.Quantity, line.Unit, line.Amount, 0m);
        }

        return figures;
    }

    /// <summary>
    /// Identifies a bill line across recomputations of a month. Ordered by the kind as bills print it, then region, item
    /// and pricing: the order corrections are listed in.
    /// </summary>
    private readonly record struct FigureKey(BillableService Kind, string Region, string Item, string Pricing) : IComparable<FigureKey>
    {
        public int CompareTo(FigureKey other)
        {
            var c = string.CompareOrdinal(CorrectionLine.KindText(Kind), CorrectionLine.KindText(other.Kind));
            c = c != 0 ? c : string.CompareOrdinal(Region, other.Region);
            c = c != 0 ? c : string.CompareOrdinal(Item, other.Item);
            return c != 0 ? c : string.CompareOrdinal(Pricing, other.Pricing);
        }
    }

    /// <summary>What a bill line charges.</summary>
    private readonly record struct Figures(decimal Quantity, string? Unit, decimal Amount, decimal Discount)
    {
        public Figures Plus(Figures other) => new(Quantity + other.Quantity, Unit ?? other.Unit, Amount + other.Amount, Discount + other.Discount);

        public Figures Minus(Figures other) => new(Quantity - other.Quantity, Unit ?? other.Unit, Amount - other.Amount, Discount - other.Discount);
    }

    /// <summary>A closed month: its final bill and what has been billed for it since (final bill plus carried corrections).</summary>
    private sealed class ClosedMonth(MonthlyBill? bill, Dictionary<FigureKey, Figures> billed)
    {
        public MonthlyBill? Bill { get; } = bill;

        public Dictionary<FigureKey, Figures> Billed { get; } = billed;
    }
}
