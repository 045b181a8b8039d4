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
/// <para>
/// The parts: the priced lines per month (<see cref="CustomerLedger"/>), the Elastic IPs (<see cref="ElasticIpBook"/>),
/// one month's bill from them (<see cref="BillComposer"/>, free tier by <see cref="FreeTierAllocator"/>) and the closed
/// months with their corrections (<see cref="ClosedMonths"/>).
/// </para>
/// <para>Not thread-safe: one instance per customer, used by one thread at a time. <see cref="Add"/> is cheap; computing
/// a bill costs time in proportion to the month's lines, so compute bills when publishing them, not per line.</para>
/// </remarks>
public sealed class InvoiceAssembler
{
    private readonly ElasticIpBook _elasticIps;
    private readonly CustomerLedger _ledger;
    private readonly ClosedMonths _closed = new();

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
        _elasticIps = new ElasticIpBook(trackRunningInstances);
        _ledger = new CustomerLedger(_elasticIps);
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
            foreach (var (month, ledger) in _ledger.Months)
            {
                if (ledger.HasLines)
                {
                    months.Add(month);
                }
            }

            months.UnionWith(_elasticIps.Months());
            months.UnionWith(_closed.Billed);
            if (_closed.Count > 0)
            {
                months.UnionWith(_closed.CorrectionTargets(Compute));
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
        if (!_ledger.IsNew(line.LineId))
        {
            return null;
        }

        _ledger.Add(line, line.LineId);
        return _closed.Carrier(line.Month);
    }

    /// <summary>Adds or replaces (same <see cref="ElasticIpHolding.HoldingId"/>) an Elastic IP holding; returns the first month whose invoice changed.</summary>
    public BillingMonth UpsertElasticIp(PricedElasticIpHolding holding)
    {
        ArgumentNullException.ThrowIfNull(holding);
        return _closed.Carrier(BillingMonth.Of(_elasticIps.Upsert(holding)));
    }

    /// <summary>Adds or replaces (same <see cref="ElasticIpAttachment.AttachmentId"/>) an attachment; returns the first month whose invoice may change.</summary>
    public BillingMonth UpsertElasticIpAttachment(ElasticIpAttachment attachment)
    {
        ArgumentNullException.ThrowIfNull(attachment);
        return _closed.Carrier(BillingMonth.Of(_elasticIps.Upsert(attachment)));
    }

    /// <summary>True once <paramref name="month"/> is closed.</summary>
    public bool IsClosed(BillingMonth month) => _closed.IsClosed(month);

    /// <summary>
    /// The bill of <paramref name="month"/> as it stands: month to date while open (with corrections of earlier closed
    /// months), the final bill once closed; <see langword="null"/> when the month has nothing to bill.
    /// </summary>
    public MonthlyBill? Bill(BillingMonth month)
    {
        if (_closed.TryGetFinal(month, out var final))
        {
            return final;
        }

        var bill = Compute(month);
        var corrections = _closed.Corrections(month, Compute);
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
        if (_closed.TryGetFinal(month, out var existing))
        {
            return existing;
        }

        var bill = Bill(month);
        _closed.Close(month, bill);
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
    internal void AddUnchecked(PricedLine line) => _ledger.Add(line, lineId: null);

    /// <summary>The bill of a month from everything added, without corrections; null when there is nothing to bill.</summary>
    private MonthlyBill? Compute(BillingMonth month) => Compute(month, FindFirstBillMonth());

    private MonthlyBill? Compute(BillingMonth month, BillingMonth? firstBillMonth) =>
        BillComposer.Compose(CustomerId, CustomerName, month, _ledger.Of(month), _elasticIps.Bill(month), firstBillMonth);

    /// <summary>The first bill month: the earliest month with any line or Elastic IP; the free-tier window starts there.</summary>
    private BillingMonth? FindFirstBillMonth()
    {
        var first = KnownFirstBillMonth;
        foreach (var (month, ledger) in _ledger.Months)
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

        var holdings = _elasticIps.Months();
        if (holdings.Count > 0 && (first is null || holdings.Min < first))
        {
            first = holdings.Min;
        }

        return first;
    }
}
