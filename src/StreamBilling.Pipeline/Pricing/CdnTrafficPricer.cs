using System.Globalization;
using StreamBilling.Billing;
using StreamBilling.Billing.RateCards;
using StreamBilling.Billing.UsagePricing;
using StreamBilling.Events.Cdn;
using StreamBilling.Events.Outputs;

namespace StreamBilling.Pipeline.Pricing;

/// <summary>
/// Prices Cost Explorer CDN figures (the authoritative source, key customerId) with the rate card's graduated per-GB
/// tiers: <see cref="UsagePricer.PriceMetered"/> is given the customer's month-to-date GB as <c>quantityBefore</c>, kept
/// in a changelogged store per customer and month, so a figure that crosses a tier boundary is split across the tiers
/// and a new month starts again at the first tier. A re-sent figure (same eventId) is priced from the GB it was first
/// priced from — same lines, same ids — and not counted again. Month states older than
/// <see cref="PricingOptions.CdnMonthRetention"/> months are dropped when the customer's next month starts.
/// Lines are stamped with the end of the figure's period (its usage time), not the figure's publication ~24 h later:
/// otherwise they would push the stream time of the rollups and invoices a day ahead of the EC2 lines they are mixed
/// with, closing hours and months whose EC2 lines are still on their way.
/// </summary>
internal sealed class CdnTrafficPricer(PricingOptions options, UsagePricer pricer, ISerde<CdnTraffic> trafficSerde) : IProcessor<string, CdnTraffic>
{
    private IProcessorContext _context = null!;
    private IKeyValueStore<string, CdnMonthToDate> _months = null!;

    public void Init(IProcessorContext context)
    {
        _context = context;
        _months = context.GetStateStore<IKeyValueStore<string, CdnMonthToDate>>(options.CdnStoreName);
    }

    public void Process(Record<string, CdnTraffic> record)
    {
        var traffic = record.Value;
        var from = AvroTime.From(traffic.periodStart);
        var until = AvroTime.From(traffic.periodEnd);
        if (traffic.dataSource != CdnDataSource.CostExplorer)
        {
            _context.SendToLateRecords(record, "wrong-data-source: only Cost Explorer figures are billed", Serdes.Utf8, trafficSerde);
            return;
        }

        if (traffic.bytes < 0 || until < from)
        {
            _context.SendToLateRecords(record, "invalid-figure: negative bytes or period", Serdes.Utf8, trafficSerde);
            return;
        }

        var states = new SortedDictionary<BillingMonth, CdnMonthToDate>();
        for (var month = BillingMonth.Of(from); month <= BillingMonth.Of(until > from ? until - TimeSpan.FromTicks(1) : from); month = month.Next)
        {
            states[month] = Load(traffic.customerId, month);
        }

        var replay = states.Values.All(s => s.Counted.ContainsKey(traffic.eventId));
        decimal Before(BillingMonth month) => states.TryGetValue(month, out var state)
            ? (state.Counted.TryGetValue(traffic.eventId, out var before) ? before : state.Gb)
            : 0m;

        var usage = new MeteredUsage(
            [traffic.eventId], traffic.customerId, BillableService.Cdn, UsageTypes.CdnDataTransferOut, string.Empty, traffic.distributionId, from, until,
            MeteredQuantity.Gigabytes(traffic.bytes));
        IReadOnlyList<PricedLine> lines;
        try
        {
            lines = pricer.PriceMetered(usage, Before);
        }
        catch (RateCardException e)
        {
            _context.SendToLateRecords(record, "no-rate: " + e.Message, Serdes.Utf8, trafficSerde);
            return;
        }

        if (!replay)
        {
            foreach (var (month, state) in states)
            {
                state.Counted[traffic.eventId] = state.Gb;
                state.Gb += lines.Where(l => l.Month == month).Sum(l => l.Quantity);
                Save(traffic.customerId, month, state);
            }
        }

        for (var i = 0; i < lines.Count; i++)
        {
            var id = DeterministicId.FromParts("priced-line", traffic.eventId, UsageTypes.CdnDataTransferOut, i.ToString(CultureInfo.InvariantCulture));
            var item = PricedLineItems.ToRecord(lines[i], id, options.Source, role: null);
            _context.Forward(new Record<string, PricedLineItem>(traffic.customerId, item, until) { Id = id });
        }
    }

    public void Close()
    {
    }

    private static string Key(string customer, BillingMonth month) => $"{customer}|{month}";

    private CdnMonthToDate Load(string customer, BillingMonth month)
    {
        if (_months.TryGet(Key(customer, month), out var state) && state is not null)
        {
            return state;
        }

        // A customer's first figure of a month: drop the months that can no longer take a figure.
        var oldest = month;
        for (var i = 0; i < options.CdnMonthRetention; i++)
        {
            oldest = new BillingMonth(oldest.Month == 1 ? oldest.Year - 1 : oldest.Year, oldest.Month == 1 ? 12 : oldest.Month - 1);
        }

        var expired = _months.Range(Key(customer, new BillingMonth(1, 1)), Key(customer, oldest))
            .Select(e => e.Key)
            .Where(k => !string.Equals(k, Key(customer, oldest), StringComparison.Ordinal))
            .ToList();
        foreach (var key in expired)
        {
            _months.Delete(key);
        }

        return new CdnMonthToDate();
    }

    private void Save(string customer, BillingMonth month, CdnMonthToDate state) => _months.Put(Key(customer, month), state);
}
