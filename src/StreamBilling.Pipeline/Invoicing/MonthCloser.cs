namespace StreamBilling.Pipeline.Invoicing;

/// <summary>
/// Closes every customer's months whose end plus <see cref="InvoiceOptions.MonthCloseGrace"/> stream time has passed,
/// publishes their final invoices, then lets the retention prune the months closed longer than it ago.
/// </summary>
internal sealed class MonthCloser(InvoiceOptions options, LedgerStore ledger, AssemblerCache assemblers, InvoicePublisher publisher, ClosedMonthRetention retention)
{
    public void CloseMonths(DateTimeOffset streamTime)
    {
        var grace = options.MonthCloseGrace!.Value;
        foreach (var (customer, state) in ledger.Customers())
        {
            var assembler = assemblers.Get(customer, state);
            var due = assembler.Months.Where(m => !assembler.IsClosed(m) && m.End + grace <= streamTime).ToList();
            foreach (var month in due)
            {
                // The final invoice supersedes a pending month-to-date one.
                publisher.Supersede(customer, month);
                assembler.Close(month);
                state.Closed.Add(new ClosedMonthEntry(month, state.NextSeq, streamTime));
                publisher.Publish(state, assembler, month, streamTime);
            }

            var pruned = retention.Prune(customer, state, assembler, streamTime);
            if (due.Count > 0 || pruned)
            {
                ledger.PutCustomer(customer, state);
            }
        }
    }
}
