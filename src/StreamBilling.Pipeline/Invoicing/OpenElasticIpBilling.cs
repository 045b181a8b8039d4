using StreamBilling.Billing;
using StreamBilling.Billing.Invoicing;

namespace StreamBilling.Pipeline.Invoicing;

/// <summary>
/// Bills Elastic IP allocations and associations that are still open: once per hour of stream time (and on the first
/// record after a start) every customer's open ones are extended through the start of the current hour.
/// </summary>
internal sealed class OpenElasticIpBilling(LedgerStore ledger, AssemblerCache assemblers, ElasticIpPricing pricing, InvoicePublisher publisher)
{
    /// <summary>
    /// The hour through which every customer's open Elastic IPs were last extended; MinValue until the first record
    /// after a start, which extends them all (a restart may resume below the hour it stopped in).
    /// </summary>
    public DateTimeOffset ExtendedThrough { get; private set; } = DateTimeOffset.MinValue;

    /// <summary>Extends every customer's open allocations and associations through the hour of <paramref name="time"/>; marks the months that changed.</summary>
    public void ExtendAll(DateTimeOffset time)
    {
        var hour = AvroTime.HourOf(time);
        if (hour <= ExtendedThrough)
        {
            return;
        }

        ExtendedThrough = hour;
        foreach (var (customer, state) in ledger.Customers())
        {
            if (state.OpenElasticIps.Count == 0 || state.OpenThrough >= hour)
            {
                continue;
            }

            publisher.MarkChanged(customer, Extend(state, assemblers.Get(customer, state), hour));
            ledger.PutCustomer(customer, state);
        }
    }

    /// <summary>Extends the customer's open allocations and associations to <paramref name="through"/>; returns the months that changed.</summary>
    public List<BillingMonth> Extend(CustomerInvoices state, InvoiceAssembler assembler, DateTimeOffset through)
    {
        if (state.OpenElasticIps.Count == 0 || state.OpenThrough >= through)
        {
            return [];
        }

        state.OpenThrough = through;
        var keptFrom = state.KeptFrom();
        BillingMonth? first = null;
        foreach (var key in state.OpenElasticIps)
        {
            if (ledger.TryGet(key, out var entry) && pricing.Upsert(assembler, entry, through, keptFrom) is { } month && (first is null || month < first))
            {
                first = month;
            }
        }

        return first is { } from ? OpenMonths.From(assembler, from, BillingMonth.Of(through)) : [];
    }
}
