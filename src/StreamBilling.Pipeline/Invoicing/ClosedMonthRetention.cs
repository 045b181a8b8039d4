using StreamBilling.Billing;
using StreamBilling.Billing.Invoicing;

namespace StreamBilling.Pipeline.Invoicing;

/// <summary>
/// Retention of closed months (<see cref="InvoiceOptions.ClosedMonthRetention"/>): a month closed longer ago than the
/// retention, owing no correction to an open invoice, is pruned with every month before it — its lines, the Elastic IP
/// allocations and associations that ended in it, its close and revision are deleted (changelogged, so a restore does not
/// bring them back). What later months need is kept: the first bill month (the free-tier window), and allocations or
/// associations still open, whose part before the pruned months is cut off. Input for a pruned month goes to the
/// late-records topic: its correction can no longer be computed.
/// </summary>
internal sealed class ClosedMonthRetention(InvoiceOptions options, LedgerStore ledger, AssemblerCache assemblers)
{
    /// <summary>
    /// The month of <paramref name="input"/> when it was pruned: a line of a pruned month, or an Elastic IP event in a
    /// pruned month whose allocation or association is not kept (it ended in the pruned months, or is unknown).
    /// </summary>
    public BillingMonth? PrunedMonthOf(CustomerInvoices state, BillingInput input)
    {
        if (state.PrunedThrough is not { } pruned)
        {
            return null;
        }

        switch (input)
        {
            case PricedLineInput { Line: var line }:
                return line.Month <= pruned ? line.Month : null;
            case ElasticIpInput { Event: var e }:
                var eventMonth = BillingMonth.Of(e.Time);
                return eventMonth <= pruned && !ledger.TryGet(e.Key(), out _) ? eventMonth : null;
            default:
                throw new ArgumentOutOfRangeException(nameof(input), input, "Not a billing input.");
        }
    }

    /// <summary>
    /// Prunes the customer's months up to the latest one such that it and every month before it are closed, were closed
    /// longer than the retention ago, and owe no correction to the open invoice; returns whether it pruned.
    /// </summary>
    public bool Prune(string customer, CustomerInvoices state, InvoiceAssembler assembler, DateTimeOffset streamTime)
    {
        if (options.ClosedMonthRetention is not { } retention)
        {
            return false;
        }

        var grace = options.MonthCloseGrace!.Value;
        bool Expired(ClosedMonthEntry closed) => (closed.ClosedAt ?? (closed.Month.End + grace)) + retention <= streamTime;
        if (!state.Closed.Exists(Expired))
        {
            return false;
        }

        // Corrections of months before the first open one are all carried by it (the first month after them not closed).
        var firstOpen = assembler.Months.Where(m => !assembler.IsClosed(m)).Select(m => (BillingMonth?)m).FirstOrDefault();
        var owed = firstOpen is { } open && assembler.Bill(open) is { } bill
            ? bill.Corrections.Select(c => c.CorrectsMonth).ToHashSet()
            : [];
        BillingMonth? through = null;
        foreach (var closed in state.Closed.OrderBy(c => c.Month))
        {
            var month = closed.Month;
            if ((firstOpen is { } next && month >= next) || !Expired(closed) || owed.Contains(month))
            {
                break;
            }

            through = month;
        }

        if (through is not { } last)
        {
            return false;
        }

        state.FirstBillMonth = assembler.FirstBillMonth;
        foreach (var (key, entry) in ledger.EntriesOf(customer))
        {
            if (entry.LastMonth() is { } month && month <= last)
            {
                ledger.Delete(key);
            }
        }

        state.Closed.RemoveAll(c => c.Month <= last);
        foreach (var month in state.Revisions.Keys.Where(m => m <= last).ToList())
        {
            state.Revisions.Remove(month);
        }

        state.PrunedThrough = last;

        // Rebuilt from what is kept on next use, so the cached assembler equals the one a restart builds.
        assemblers.Evict(customer);
        return true;
    }
}
