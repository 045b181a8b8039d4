using StreamBilling.Billing.UsagePricing;

namespace StreamBilling.Billing.Invoicing;

/// <summary>
/// A customer's Elastic IPs: holdings and attachments by id (a later version replaces an earlier one) and when each
/// instance ran, which decides whether an attached address was idle.
/// </summary>
internal sealed class ElasticIpBook(bool trackRunning)
{
    private readonly Dictionary<string, List<(DateTimeOffset From, DateTimeOffset Until)>> _running = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PricedElasticIpHolding> _holdings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ElasticIpAttachment> _attachments = new(StringComparer.Ordinal);

    /// <summary>Records that an instance ran during a line's period (a reservation: the whole month); only when tracking.</summary>
    public void RecordRunning(string instance, DateTimeOffset from, DateTimeOffset until)
    {
        if (!trackRunning)
        {
            return;
        }

        if (!_running.TryGetValue(instance, out var intervals))
        {
            intervals = [];
            _running.Add(instance, intervals);
        }

        intervals.Add((from, until));
    }

    /// <summary>Adds or replaces a holding; returns where the change starts (the earlier of the old and new start).</summary>
    public DateTimeOffset Upsert(PricedElasticIpHolding holding)
    {
        if (!trackRunning)
        {
            throw new InvalidOperationException("This assembler was created without Elastic IPs.");
        }

        if (holding.Holding.Until < holding.Holding.From)
        {
            throw new ArgumentException("The holding ends before it starts.", nameof(holding));
        }

        _holdings.TryGetValue(holding.Holding.HoldingId, out var previous);
        _holdings[holding.Holding.HoldingId] = holding;
        return previous is null || holding.Holding.From < previous.Holding.From ? holding.Holding.From : previous.Holding.From;
    }

    /// <summary>Adds or replaces an attachment; returns where the change starts (the earlier of the old and new start).</summary>
    public DateTimeOffset Upsert(ElasticIpAttachment attachment)
    {
        if (attachment.Until < attachment.From)
        {
            throw new ArgumentException("The attachment ends before it starts.", nameof(attachment));
        }

        _attachments.TryGetValue(attachment.AttachmentId, out var previous);
        _attachments[attachment.AttachmentId] = attachment;
        return previous is null || attachment.From < previous.From ? attachment.From : previous.From;
    }

    /// <summary>Months the holdings touch, earliest first.</summary>
    public SortedSet<BillingMonth> Months()
    {
        var months = new SortedSet<BillingMonth>();
        foreach (var priced in _holdings.Values)
        {
            foreach (var piece in MonthSplitter.Split(priced.Holding.From, priced.Holding.Until))
            {
                months.Add(piece.Month);
            }
        }

        return months;
    }

    /// <summary>The month's Elastic IP lines, by region and address.</summary>
    public Dictionary<(string Region, string IpAddress), ElasticIpLine> Bill(BillingMonth month) =>
        _holdings.Count == 0 ? [] : ElasticIpBiller.Bill(month, OrderedHoldings(), AttachmentsByIp(), _running);

    private List<PricedElasticIpHolding> OrderedHoldings()
    {
        var holdings = new List<PricedElasticIpHolding>(_holdings.Values);
        holdings.Sort(static (a, b) =>
        {
            var c = a.Holding.From.CompareTo(b.Holding.From);
            return c != 0 ? c : string.CompareOrdinal(a.Holding.HoldingId, b.Holding.HoldingId);
        });
        return holdings;
    }

    private Dictionary<string, List<ElasticIpAttachment>> AttachmentsByIp()
    {
        var byIp = new Dictionary<string, List<ElasticIpAttachment>>(StringComparer.Ordinal);
        foreach (var attachment in _attachments.Values)
        {
            if (!byIp.TryGetValue(attachment.IpAddress, out var list))
            {
                list = [];
                byIp.Add(attachment.IpAddress, list);
            }

            list.Add(attachment);
        }

        return byIp;
    }
}
