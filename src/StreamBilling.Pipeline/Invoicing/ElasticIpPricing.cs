using StreamBilling.Billing;
using StreamBilling.Billing.Invoicing;
using StreamBilling.Billing.UsagePricing;

namespace StreamBilling.Pipeline.Invoicing;

/// <summary>Turns a stored Elastic IP allocation or association into the holding or attachment a customer's assembler bills.</summary>
internal sealed class ElasticIpPricing(UsagePricer pricer)
{
    /// <summary>
    /// Upserts an allocation or association known from its start (an open one lasts until <paramref name="openThrough"/>);
    /// returns the first month whose invoice changed. With pruned months (<paramref name="keptFrom"/>: the start of the
    /// first month kept), only its part from there on: the pruned months are not billed again, and the months after them
    /// are billed per month piece anyway.
    /// </summary>
    public BillingMonth? Upsert(InvoiceAssembler assembler, LedgerEntry entry, DateTimeOffset? openThrough, DateTimeOffset? keptFrom)
    {
        if (entry.Start is not { } start)
        {
            return null;
        }

        var until = entry.UntilOf(openThrough);
        var from = start.Time;
        if (keptFrom is { } kept && from < kept)
        {
            if (until <= kept)
            {
                return null; // entirely in the pruned months
            }

            from = kept;
        }

        var eventIds = entry.End is null ? [start.EventId] : new[] { start.EventId, entry.End.EventId };
        if (start.IsAssociation)
        {
            return assembler.UpsertElasticIpAttachment(new ElasticIpAttachment(start.AssociationId!, eventIds, start.PublicIp, start.InstanceId!, from, until));
        }

        var holding = new ElasticIpHolding(start.AllocationId, eventIds, start.AccountId, start.Region, start.PublicIp, start.Time, until, start.Byoip);

        // Priced from the allocation (the rate in force then), billed from the first month kept.
        var priced = pricer.PriceElasticIp(holding);
        return assembler.UpsertElasticIp(from == start.Time ? priced : priced with { Holding = holding with { From = from } });
    }
}
