using StreamBilling.Billing;
using StreamBilling.Billing.Invoicing;
using StreamBilling.Events.Outputs;
using StreamBilling.Pipeline.Telemetry;

namespace StreamBilling.Pipeline.Invoicing;

/// <summary>
/// Publishes invoice versions: the month-to-date invoice of every month that changed, once per commit (not per line),
/// and final invoices when months close; counts each month's revisions in the customer's bookkeeping.
/// </summary>
internal sealed class InvoicePublisher(InvoiceOptions options, LedgerStore ledger, AssemblerCache assemblers)
{
    // Months whose invoice changed since the last flush: one snapshot per customer and month per commit, not per line.
    private readonly HashSet<(string Customer, BillingMonth Month)> _changed = [];
    private IProcessorContext _context = null!;

    public void Init(IProcessorContext context) => _context = context;

    /// <summary>Marks months whose month-to-date invoice the next <see cref="Flush"/> publishes.</summary>
    public void MarkChanged(string customer, IEnumerable<BillingMonth> months)
    {
        foreach (var month in months)
        {
            _changed.Add((customer, month));
        }
    }

    /// <summary>Forgets a pending month-to-date invoice: the final one supersedes it.</summary>
    public void Supersede(string customer, BillingMonth month) => _changed.Remove((customer, month));

    /// <summary>Publishes the month-to-date invoice of every month that changed since the last flush.</summary>
    public void Flush()
    {
        if (_changed.Count == 0)
        {
            return;
        }

        var at = _context.StreamTime;
        foreach (var group in _changed.GroupBy(c => c.Customer, StringComparer.Ordinal))
        {
            var state = ledger.Customer(group.Key);
            var assembler = assemblers.Get(group.Key, state);
            foreach (var (_, month) in group.OrderBy(c => c.Month))
            {
                Publish(state, assembler, month, at);
            }

            ledger.PutCustomer(group.Key, state);
        }

        _changed.Clear();
    }

    /// <summary>Publishes the next revision of the month's invoice as it stands (final once the month is closed).</summary>
    public void Publish(CustomerInvoices state, InvoiceAssembler assembler, BillingMonth month, DateTimeOffset at)
    {
        if (assembler.Bill(month) is not { } bill)
        {
            return;
        }

        var revision = state.Revisions.GetValueOrDefault(month) + 1;
        state.Revisions[month] = revision;
        var status = assembler.IsClosed(month) ? InvoiceStatus.Final : InvoiceStatus.MonthToDate;
        var invoice = InvoiceRecords.ToRecord(bill, status, revision, at, options.Source, options.RateCard.Currency);

        // One record id per customer and month: every version of the invoice replaces the one before (latest wins).
        _context.Forward(new Record<string, Invoice>(invoice.invoiceId, invoice, at) { Id = DeterministicId.FromParts("invoice", invoice.invoiceId) });
        BillingMetrics.RecordInvoice(status);
    }
}
