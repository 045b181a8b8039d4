using StreamBilling.Billing.UsagePricing;

namespace StreamBilling.Billing.Invoicing;

/// <summary>
/// A customer's priced lines summed per month and bill line as they arrive (<see cref="MonthLedger"/>), with the ids of
/// the lines added so far, so a replayed line is recognised.
/// </summary>
internal sealed class CustomerLedger(ElasticIpBook elasticIps)
{
    private readonly HashSet<string> _lineIds = new(StringComparer.Ordinal);
    private readonly SortedDictionary<BillingMonth, MonthLedger> _months = [];
    private long _sequence;

    /// <summary>Every month's ledger, in month order.</summary>
    public IEnumerable<KeyValuePair<BillingMonth, MonthLedger>> Months => _months;

    /// <summary>The month's ledger, or null when no line of that month was added.</summary>
    public MonthLedger? Of(BillingMonth month) => _months.GetValueOrDefault(month);

    /// <summary>Marks the line id as added; false when it was added before (a replay).</summary>
    public bool IsNew(string lineId) => _lineIds.Add(lineId);

    /// <summary>
    /// Adds a line to its month's bill line (and its free-tier piece); an instance line also records when the instance
    /// ran, which Elastic IPs need. An instance line billed per second goes on a service line of its usage type, since its
    /// quantity is fractional hours. <paramref name="lineId"/> is kept on the bill line when given.
    /// </summary>
    public void Add(PricedLine line, string? lineId)
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

            elasticIps.RecordRunning(resource, line.UsageStart, line.UsageEnd);
            return;
        }

        if (line.Instance is not null)
        {
            // Billed per second: fractions of an hour, summed on a service line of the usage type (BoxUsage:type:OS).
            elasticIps.RecordRunning(resource, line.UsageStart, line.UsageEnd);
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

    private MonthLedger Ledger(BillingMonth month)
    {
        if (!_months.TryGetValue(month, out var ledger))
        {
            ledger = new MonthLedger();
            _months.Add(month, ledger);
        }

        return ledger;
    }
}
