using StreamBilling.Billing;
using StreamBilling.Billing.Invoicing;

namespace StreamBilling.Pipeline.Invoicing;

/// <summary>
/// One bill engine per customer, a cache over the ledger: after a restart, or when a line was replaced by a newer version
/// (the assembler's add-only ledger cannot take one back), or after pruning, a customer's assembler is rebuilt from the
/// store by adding the inputs and closing the months in their recorded order, so it holds exactly what it held before.
/// </summary>
internal sealed class AssemblerCache(InvoiceOptions options, LedgerStore ledger, ElasticIpPricing elasticIps)
{
    private readonly Dictionary<string, InvoiceAssembler> _assemblers = new(StringComparer.Ordinal);

    /// <summary>The customer's assembler, rebuilt from the store when it is not cached.</summary>
    public InvoiceAssembler Get(string customer, CustomerInvoices state)
    {
        if (_assemblers.TryGetValue(customer, out var cached))
        {
            return cached;
        }

        var assembler = new InvoiceAssembler(customer, NameOf(customer)) { KnownFirstBillMonth = state.FirstBillMonth };
        var keptFrom = state.KeptFrom();
        var range = ledger.EntriesOf(customer);
        SyncOpenElasticIps(customer, state, range);
        var entries = range.Select(e => e.Entry).OrderBy(e => e.Seq).ToList();
        var closes = state.Closed;
        var next = 0;
        foreach (var entry in entries)
        {
            for (; next < closes.Count && closes[next].Seq <= entry.Seq; next++)
            {
                assembler.Close(closes[next].Month);
            }

            if (entry.Line is { } line)
            {
                assembler.Add(line.ToLine());
            }
            else
            {
                // Open ones through the hour they were last extended to, as before the restart.
                elasticIps.Upsert(assembler, entry, state.OpenThrough, keptFrom);
            }
        }

        for (; next < closes.Count; next++)
        {
            assembler.Close(closes[next].Month);
        }

        _assemblers[customer] = assembler;
        return assembler;
    }

    /// <summary>Drops the customer's assembler; the next <see cref="Get"/> rebuilds it from the store.</summary>
    public void Evict(string customer) => _assemblers.Remove(customer);

    /// <summary>
    /// Keeps the list of open allocations and associations equal to what the store holds (a store written before the
    /// list existed has none).
    /// </summary>
    private void SyncOpenElasticIps(string customer, CustomerInvoices state, List<(LedgerKey Key, LedgerEntry Entry)> range)
    {
        var open = range.Where(e => e.Entry.IsOpen()).Select(e => e.Key).ToList();
        if (!open.Select(k => k.ToString()).Order(StringComparer.Ordinal).SequenceEqual(state.OpenElasticIps.Select(k => k.ToString()).Order(StringComparer.Ordinal), StringComparer.Ordinal))
        {
            state.OpenElasticIps = open;
            ledger.PutCustomer(customer, state);
        }
    }

    private string NameOf(string customer) =>
        options.CustomerNames.TryGetValue(customer, out var name) || options.CustomerNames.TryGetValue(CanonicalId.Of(customer), out name) ? name : customer;
}
