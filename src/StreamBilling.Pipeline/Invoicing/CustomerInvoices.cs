using StreamBilling.Billing;

namespace StreamBilling.Pipeline.Invoicing;

/// <summary>
/// A customer's invoice bookkeeping: next arrival position, closed months (with the position they closed at), revisions,
/// and what retention pruned. Months are stored as <c>yyyy-MM</c>, ledger keys as their key text.
/// </summary>
internal sealed class CustomerInvoices
{
    public long NextSeq { get; set; }

    /// <summary>Earliest month with an input (the free-tier window starts at the first bill month).</summary>
    public BillingMonth? EarliestMonth { get; set; }

    public List<ClosedMonthEntry> Closed { get; set; } = [];

    /// <summary>Latest revision published per month.</summary>
    public Dictionary<BillingMonth, long> Revisions { get; set; } = [];

    /// <summary>
    /// Latest month whose inputs, close and revision were pruned, with every month before it; input for these months goes
    /// to the late-records topic. Null: nothing pruned.
    /// </summary>
    public BillingMonth? PrunedThrough { get; set; }

    /// <summary>The customer's first bill month as it was before its earliest months were pruned (the free-tier window starts there).</summary>
    public BillingMonth? FirstBillMonth { get; set; }

    /// <summary>
    /// The Elastic IP allocations and associations whose start is known and whose end is not: they are billed through
    /// <see cref="OpenThrough"/>.
    /// </summary>
    public List<LedgerKey> OpenElasticIps { get; set; } = [];

    /// <summary>
    /// Open allocations and associations are billed until this time: the task's stream time floored to the hour when
    /// they were last extended. Stored, so a restart bills them exactly as far as before, and a function of stream time
    /// only, so it does not depend on the order in which the inputs arrived.
    /// </summary>
    public DateTimeOffset? OpenThrough { get; set; }

    /// <summary>Start of the first month not pruned, or null when nothing was pruned (a method: properties are stored).</summary>
    public DateTimeOffset? KeptFrom() => PrunedThrough is { } through ? through.Next.Start : null;
}
