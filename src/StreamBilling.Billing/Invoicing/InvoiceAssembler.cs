using StreamBilling.Billing.UsagePricing;

namespace StreamBilling.Billing.Invoicing;

/// <summary>
/// One customer's invoices, built from priced lines as they arrive (month to date), with the bill rules applied when a
/// bill is computed: lines summed and rounded once per bill line, free tier (12-month window, 750 hours per allowance,
/// in piece order), reserved months, Elastic IP idle hours. The batch <c>bill</c> runs on the same class, so an invoice
/// equals the batch bill for the same usage.
/// </summary>
/// <remarks>
/// <para>
/// Idempotent: a line whose <see cref="PricedLine.LineId"/> was added before is ignored, and an Elastic IP holding or
/// attachment replaces the earlier version with the same id. The state is the set of added inputs plus the closed
/// months; to rebuild it after a restart, add the same inputs and close the same months in the same order.
/// </para>
/// <para>
/// A closed month (<see cref="Close"/>) keeps its final bill. Usage for it that arrives later is not lost and does not
/// change that bill: the difference it makes becomes <see cref="CorrectionLine"/>s on the first open month after it.
/// </para>
/// <para>Not thread-safe: one instance per customer, used by one thread at a time. <see cref="Add"/> is cheap; computing
/// a bill costs time in proportion to the month's lines, so compute bills when publishing them, not per line.</para>
/// </remarks>
public sealed class InvoiceAssembler
{
    private readonly HashSet<string> _lineIds = new(StringComparer.Ordinal);
    private readonly SortedDictionary<BillingMonth, MonthLedger> _months = [];
    private readonly Dictionary<string, List<(DateTimeOffset From, DateTimeOffset Until)>> _running = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PricedElasticIpHolding> _holdings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ElasticIpAttachment> _attachments = new(StringComparer.Ordinal);
    private readonly SortedDictionary<BillingMonth, ClosedMonth> _closed = [];
    private readonly bool _trackRunning;
    private long _sequence;

    /// <summary>Creates the invoices of one customer.</summary>
    /// <param name="customerId">Customer ID as printed on bills (without <c>-</c>).</param>
    /// <param name="customerName">Name printed on bills.</param>
    public InvoiceAssembler(string customerId, string customerName)
        : this(customerId, customerName, trackRunningInstances: true)
    {
    }

    /// <param name="customerId">Customer ID as printed on bills.</param>
    /// <param name="customerName">Name printed on bills.</param>
    /// <param name="trackRunningInstances">
    /// False only when it is known that no Elastic IP will be added (the batch engine knows its customers' allocations):
    /// when instances ran matters only for Elastic IPs.
    /// </param>
    internal InvoiceAssembler(string customerId, string customerName, bool trackRunningInstances)
    {
        ArgumentNullException.ThrowIfNull(customerId);
        ArgumentNullException.ThrowIfNull(customerName);
        CustomerId = customerId;
        CustomerName = customerName;
        _trackRunning = trackRunningInstances;
    }

    /// <summary>Customer ID as printed on bills.</summary>
    public string CustomerId { get; }

    /// <summary>Customer name as printed on bills.</summary>
    public string CustomerName { get; }

    /// <summary>
    /// The customer's first bill month when the assembler holds none of that month's inputs: one rebuilt after the inputs
    /// of the customer's earliest months were dropped (they were closed long ago), whose free-tier window must still
    /// start where it started. <see langword="null"/>: the earliest month added.
    /// </summary>
    public BillingMonth? KnownFirstBillMonth { get; init; }

    /// <summary>The first bill month (where the 12-month free-tier window starts): the earliest month with a line or an Elastic IP, or <see cref="KnownFirstBillMonth"/> when earlier.</summary>
    public BillingMonth? FirstBillMonth => FindFirstBillMonth();

    /// <summary>Months that have a bill (lines, Elastic IPs or corrections), in order.</summary>
    public IReadOnlyList<BillingMonth> Months
    {
        get
        {
            var months = new SortedSet<BillingMonth>();
            foreach (var (month, ledger) in _months)
            {
                if (ledger.HasLines)
                {
                    months.Add(month);
                }
            }

            foreach (var month in HoldingMonths())
            {
                months.Add(month);
            }

            foreach (var (month, closed) in _closed)
            {
                if (closed.Bill is not null)
                {
                    months.Add(month);
                }
            }

            foreach (var month in CorrectionTargets())
            {
                months.Add(month);
            }

            return [.. months];
        }
    }

    /// <summary>
    /// Adds a priced line. Returns the month whose invoice changed: the line's month, or, when that month is closed,
    /// the month that will carry the correction; <see langword="null"/> when the line was added before (a replay).
    /// </summary>
    public BillingMonth? Add(PricedLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (!_lineIds.Add(line.LineId))
        {
            return null;
        }

        AddUnchecked(line, line.LineId);
        return ChangedMonth(line.Month);
    }

    /// <summary>Adds or replaces (same <see cref="ElasticIpHolding.HoldingId"/>) an Elastic IP holding; returns the first month whose invoice changed.</summary>
    public BillingMonth UpsertElasticIp(PricedElasticIpHolding holding)
    {
        ArgumentNullException.ThrowIfNull(holding);
        if (!_trackRunning)
        {
            throw new InvalidOperationException("This assembler was created without Elastic IPs.");
        }

        if (holding.Holding.Until < holding.Holding.From)
        {
            throw new ArgumentException("The holding ends before it starts.", nameof(holding));
        }

        _holdings.TryGetValue(holding.Holding.HoldingId, out var previous);
        _holdings[holding.Holding.HoldingId] = holding;
        var from = previous is null || holding.Holding.From < previous.Holding.From ? holding.Holding.From : previous.Holding.From;
        return ChangedMonth(BillingMonth.Of(from));
    }

    /// <summary>Adds or replaces (same <see cref="ElasticIpAttachment.AttachmentId"/>) an attachment; returns the first month whose invoice may change.</summary>
    public BillingMonth UpsertElasticIpAttachment(ElasticIpAttachment attachment)
    {
        ArgumentNullException.ThrowIfNull(attachment);
        if (attachment.Until < attachment.From)
        {
            throw new ArgumentException("The attachment ends before it starts.", nameof(attachment));
        }

        _attachments.TryGetValue(attachment.AttachmentId, out var previous);
        _attachments[attachment.AttachmentId] = attachment;
        var from = previous is null || attachment.From < previous.From ? attachment.From : previous.From;
        return ChangedMonth(BillingMonth.Of(from));
    }

    /// <summary>True once <paramref name="month"/> is closed.</summary>
    public bool IsClosed(BillingMonth month) => _closed.ContainsKey(month);

    /// <summary>
    /// The bill of <paramref name="month"/> as it stands: month to date while open (with corrections of earlier closed
    /// months), the final bill once closed; <see langword="null"/> when the month has nothing to bill.
    /// </summary>
    public MonthlyBill? Bill(BillingMonth month)
    {
        if (_closed.TryGetValue(month, out var closed))
        {
            return closed.Bill;
        }

        var bill = Compute(month);
        var corrections = Corrections(month);
        if (corrections.Count > 0)
        {
            bill = (bill ?? new MonthlyBill(CustomerId, CustomerName, month, [], [])) with { Corrections = corrections };
        }

        return bill;
    }

    /// <summary>
    /// Closes <paramref name="month"/> (stream time passed its end plus grace) and returns its final bill; later usage
    /// for it becomes corrections on a later month. Closing a closed month returns the same bill.
    /// </summary>
    public MonthlyBill? Close(BillingMonth month)
    {
        if (_closed.TryGetValue(month, out var existing))
        {
            return existing.Bill;
        }

        var bill = Bill(month);
        var closed = new ClosedMonth(bill, FiguresOf(bill));
        foreach (var correction in bill?.Corrections ?? [])
        {
            // What a correction carried is now billed for the month it corrects.
            var target = _closed[correction.CorrectsMonth];
            var key = new FigureKey(correction.Kind, correction.Region, correction.Item, correction.Pricing);
            target.Billed[key] = target.Billed.GetValueOrDefault(key).Plus(new Figures(correction.Quantity, correction.Unit, correction.Amount, correction.Discount));
        }

        _closed.Add(month, closed);
        return bill;
    }

    /// <summary>Every month's bill, in order (the batch engine's output for one customer).</summary>
    internal List<MonthlyBill> AllBills()
    {
        var bills = new List<MonthlyBill>();
        if (_closed.Count == 0)
        {
            // The batch path: nothing is closed, so every bill is computed from the ledgers once.
            var first = FindFirstBillMonth();
            foreach (var month in Months)
            {
                if (Compute(month, first) is { } computed)
                {
                    bills.Add(computed);
                }
            }

            return bills;
        }

        foreach (var month in Months)
        {
            if (Bill(month) is { } bill)
            {
                bills.Add(bill);
            }
        }

        return bills;
    }

    /// <summary>Adds a line without the replay check (the batch engine's lines have no ids and are never replayed).</summary>
    internal void AddUnchecked(PricedLine line, string? lineId = null)
    {
        var ledger = Ledger(line.Month);
        var resource = CanonicalId.Of(line.ResourceId);
        if (line.Instance is { BilledSeconds: null } instance)
        {
            var key = new InstanceLineKey(line.Region, instance.InstanceType, instance.Pricing);
            if (!ledger.Instances.TryGetValue(key, out var totals))
            {
                totals = new InstanceLineTotals();
                ledger.Instances.Add(key, totals);
            }

            var hours = (long)line.Quantity;
            totals.Add(resource, instance.UsedTime.Ticks, hours, line.Rate);
            if (lineId is not null)
            {
                totals.LineIds.Add(lineId);
            }

            if (instance.FreeTierEligible && hours > 0)
            {
                ledger.FreeTier.Add(new FreeTierPiece(
                    FreeTierAllocator.AllowanceOf(instance.Os), instance.PieceStart, resource, line.Region, line.UsageStart, _sequence++, hours, line.Rate, key));
            }

            TrackRunning(resource, line);
            return;
        }

        if (line.Instance is not null)
        {
            // Billed per second: fractions of an hour, summed on a service line of the usage type (BoxUsage:type:OS).
            TrackRunning(resource, line);
        }

        var serviceKey = new ServiceLineKey(line.Service, line.Region, line.UsageType);
        if (!ledger.Services.TryGetValue(serviceKey, out var service))
        {
            service = new ServiceLineTotals(line.Unit);
            ledger.Services.Add(serviceKey, service);
        }

        service.Add(resource, line.Quantity, line.Rate);
        if (lineId is not null)
        {
            service.LineIds.Add(lineId);
        }
    }

    /// <summary>The instance runs during the line's period (a reservation: the whole month), which Elastic IPs need.</summary>
    private void TrackRunning(string resource, PricedLine line)
    {
        if (!_trackRunning)
        {
            return;
        }

        if (!_running.TryGetValue(resource, out var intervals))
        {
            intervals = [];
            _running.Add(resource, intervals);
        }

        intervals.Add((line.UsageStart, line.UsageEnd));
    }

    private MonthLedger Ledger(BillingMonth month)
    {
        if (!_months.TryGetValue(month, out var ledger))
        {
            ledger = new MonthLedger();
            _months.Add(month, ledger);
        }

        return ledger;
    }

    /// <summary>The month itself, or for a closed month the first open month after it (which carries the correction).</summary>
    private BillingMonth ChangedMonth(BillingMonth month)
    {
        while (_closed.ContainsKey(month))
        {
            month = month.Next;
        }

        return month;
    }

    /// <summary>The bill of a month from everything added, without corrections; null when there is nothing to bill.</summary>
    private MonthlyBill? Compute(BillingMonth month) => Compute(month, FindFirstBillMonth());

    private MonthlyBill? Compute(BillingMonth month, BillingMonth? firstBillMonth)
    {
        _months.TryGetValue(month, out var ledger);
        var ipLines = _holdings.Count == 0 ? [] : ElasticIpBiller.Bill(month, OrderedHoldings(), AttachmentsByIp(), _running);
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

        return new MonthlyBill(CustomerId, CustomerName, month, lines, eip) { ServiceLines = services };
    }

    /// <summary>The first bill month: the earliest month with any line or Elastic IP; the free-tier window starts there.</summary>
    private BillingMonth? FindFirstBillMonth()
    {
        var first = KnownFirstBillMonth;
        foreach (var (month, ledger) in _months)
        {
            if (ledger.HasLines)
            {
                if (first is null || month < first)
                {
                    first = month;
                }

                break;
            }
        }

        foreach (var month in HoldingMonths())
        {
            if (first is null || month < first)
            {
                first = month;
            }

            break;
        }

        return first;
    }

    /// <summary>Months the holdings touch, earliest first.</summary>
    private SortedSet<BillingMonth> HoldingMonths()
    {
        var months = new SortedSet<BillingMonth>();
        if (_holdings.Count == 0)
        {
            return months;
        }

        foreach (var priced in _holdings.Values)
        {
            foreach (var piece in MonthSplitter.Split(priced.Holding.From, priced.Holding.Until))
            {
                months.Add(piece.Month);
            }
        }

        return months;
    }

    private List<PricedElasticIpHolding> OrderedHoldings()
    {
        var holdings = new List<PricedElasticIpHolding>(_holdings.Values);
        holdings.Sort(static (a, b) =>
        {
            var c = a.Holding.From.CompareTo(b.Holding.From);
            return c != 0 ? c : string.CompareOrdinal(a.Holding.HoldingId, b.Holding.HoldingId);
        });
        return holdings;
    }

    private Dictionary<string, List<ElasticIpAttachment>> AttachmentsByIp()
    {
        var byIp = new Dictionary<string, List<ElasticIpAttachment>>(StringComparer.Ordinal);
        foreach (var attachment in _attachments.Values)
        {
            if (!byIp.TryGetValue(attachment.IpAddress, out var list))
            {
                list = [];
                byIp.Add(attachment.IpAddress, list);
            }

            list.Add(attachment);
        }

        return byIp;
    }

    /// <summary>Open months that carry corrections: for each closed month, the first open month after it.</summary>
    private HashSet<BillingMonth> CorrectionTargets()
    {
        var targets = new HashSet<BillingMonth>();
        if (_closed.Count == 0)
        {
            return targets;
        }

        foreach (var closed in _closed.Keys)
        {
            var target = ChangedMonth(closed);
            if (Corrections(target).Count > 0)
            {
                targets.Add(target);
            }
        }

        return targets;
    }

    /// <summary>Corrections an open month carries: each closed month before it whose first open month after it is this one.</summary>
    private List<CorrectionLine> Corrections(BillingMonth month)
    {
        var corrections = new List<CorrectionLine>();
        foreach (var (closedMonth, closed) in _closed)
        {
            if (closedMonth >= month || ChangedMonth(closedMonth) != month)
            {
                continue;
            }

            var now = FiguresOf(Compute(closedMonth));
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
            figures[new FigureKey("EC2", line.Region, line.InstanceType, line.Pricing.ToString())] = new Figures(line.BilledHours, "Hours", line.Amount, line.Discount);
        }

        foreach (var line in bill.ElasticIpLines)
        {
            figures[new FigureKey("Elastic IP", line.Region, line.IpAddress, string.Empty)] = new Figures(line.BilledHours, "Hours", line.Amount, 0m);
        }

        foreach (var line in bill.ServiceLines)
        {
            figures[new FigureKey(line.Service.ToString(), line.Region, line.UsageType, string.Empty)] = new Figures(line.Quantity, line.Unit, line.Amount, 0m);
        }

        return figures;
    }

    /// <summary>Identifies a bill line across recomputations of a month.</summary>
    private readonly record struct FigureKey(string Kind, string Region, string Item, string Pricing) : IComparable<FigureKey>
    {
        public int CompareTo(FigureKey other)
        {
            var c = string.CompareOrdinal(Kind, other.Kind);
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
