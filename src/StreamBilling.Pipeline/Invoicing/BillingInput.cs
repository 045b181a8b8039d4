using StreamBilling.Billing.UsagePricing;
using StreamBilling.Events.ElasticIp;
using StreamBilling.Events.Outputs;
using StreamBilling.Pipeline.Pricing;

namespace StreamBilling.Pipeline.Invoicing;

/// <summary>
/// What the invoice processor takes, in one shape (JSON on the repartition topic): a priced line, or one Elastic IP
/// event. Priced lines and Elastic IP events come from topics with different partition counts, so both are
/// repartitioned by account into one task per customer.
/// </summary>
internal sealed record BillingInput(LineEntry? Line, ElasticIpEvent? ElasticIp);

/// <summary>A priced line as stored (the bill engine's <see cref="PricedLine"/> fields, plus the stream's id and retraction flag).</summary>
internal sealed record LineEntry(
    string LineId,
    bool IsRetraction,
    IReadOnlyList<string> SourceEventIds,
    string CustomerId,
    Billing.BillableService Service,
    string Region,
    string ResourceId,
    string UsageType,
    string Month,
    DateTimeOffset UsageStart,
    DateTimeOffset UsageEnd,
    decimal Quantity,
    string Unit,
    decimal Rate,
    string Currency,
    string RateCardVersion,
    InstanceLineDetail? Instance)
{
    public static LineEntry From(PricedLineItem record)
    {
        var line = PricedLineItems.ToLine(record);
        return new LineEntry(
            record.eventId, record.isRetraction, line.SourceEventIds, line.CustomerId, line.Service, line.Region, line.ResourceId, line.UsageType,
            record.billingMonth, line.UsageStart, line.UsageEnd, line.Quantity, line.Unit, line.Rate, line.Currency, line.RateCardVersion, line.Instance);
    }

    public PricedLine ToLine() => new()
    {
        // The id the line was published under: a volume-tier correction and the line it sits beside may share content.
        LineId = LineId,
        SourceEventIds = SourceEventIds,
        CustomerId = CustomerId,
        Service = Service,
        Region = Region,
        ResourceId = ResourceId,
        UsageType = UsageType,
        Month = PricedLineItems.ParseMonth(Month),
        UsageStart = UsageStart,
        UsageEnd = UsageEnd,
        Quantity = Quantity,
        Unit = Unit,
        Rate = Rate,
        Currency = Currency,
        RateCardVersion = RateCardVersion,
        Instance = Instance,
    };
}

/// <summary>Start or end of an Elastic IP allocation or association.</summary>
internal sealed record ElasticIpEvent(
    bool IsStart,
    bool IsAssociation,
    string EventId,
    string AccountId,
    string AllocationId,
    string? AssociationId,
    string PublicIp,
    string Region,
    string? InstanceId,
    bool Byoip,
    DateTimeOffset Time)
{
    /// <summary>Id of what the event starts or ends: the allocation, or the association.</summary>
    public string SubjectId => IsAssociation ? AssociationId! : AllocationId;

    public static ElasticIpEvent From(ElasticIpAllocated e) =>
        new(true, false, e.eventId, e.accountId, e.allocationId, null, e.publicIp, e.region, null, e.byoip, AvroTime.From(e.eventTime));

    public static ElasticIpEvent From(ElasticIpReleased e) =>
        new(false, false, e.eventId, e.accountId, e.allocationId, null, e.publicIp, e.region, null, e.byoip, AvroTime.From(e.eventTime));

    public static ElasticIpEvent From(ElasticIpAssociated e) =>
        new(true, true, e.eventId, e.accountId, e.allocationId, e.associationId, e.publicIp, e.region, e.instanceId, false, AvroTime.From(e.eventTime));

    public static ElasticIpEvent From(ElasticIpDisassociated e) =>
        new(false, true, e.eventId, e.accountId, e.allocationId, e.associationId, e.publicIp, e.region, e.instanceId, false, AvroTime.From(e.eventTime));
}

/// <summary>
/// One stored input of a customer's invoices, keyed <c>account|L|lineId</c> (a priced line, latest version wins),
/// <c>account|A|allocationId</c> or <c>account|S|associationId</c> (both ends of an Elastic IP allocation or
/// association). <see cref="Seq"/> is the arrival position, so a rebuild adds inputs and closes months in the order
/// they happened.
/// </summary>
internal sealed record InvoiceEntry(long Seq, LineEntry? Line, ElasticIpEvent? Start, ElasticIpEvent? End);

/// <summary>
/// A customer's invoice bookkeeping: next arrival position, closed months (with the position they closed at), revisions,
/// and what retention pruned.
/// </summary>
internal sealed class CustomerInvoices
{
    public long NextSeq { get; set; }

    /// <summary>Earliest month with an input (the free-tier window starts at the first bill month).</summary>
    public string? EarliestMonth { get; set; }

    public List<ClosedMonthEntry> Closed { get; set; } = [];

    /// <summary>Latest revision published per month (<c>yyyy-MM</c>).</summary>
    public Dictionary<string, long> Revisions { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Latest month (<c>yyyy-MM</c>) whose inputs, close and revision were pruned, with every month before it; input for
    /// these months goes to the late-records topic. Null: nothing pruned.
    /// </summary>
    public string? PrunedThrough { get; set; }

    /// <summary>The customer's first bill month as it was before its earliest months were pruned (the free-tier window starts there).</summary>
    public string? FirstBillMonth { get; set; }

    /// <summary>
    /// Entry keys (<c>account|A|…</c>, <c>account|S|…</c>) of the Elastic IP allocations and associations whose start is
    /// known and whose end is not: they are billed through <see cref="OpenThrough"/>.
    /// </summary>
    public List<string> OpenElasticIps { get; set; } = [];

    /// <summary>
    /// Open allocations and associations are billed until this time: the task's stream time floored to the hour when
    /// they were last extended. Stored, so a restart bills them exactly as far as before, and a function of stream time
    /// only, so it does not depend on the order in which the inputs arrived.
    /// </summary>
    public DateTimeOffset? OpenThrough { get; set; }
}

/// <summary>A month closed after the inputs before <paramref name="Seq"/>, at stream time <paramref name="ClosedAt"/> (null: closed before it was recorded).</summary>
internal sealed record ClosedMonthEntry(string Month, long Seq, DateTimeOffset? ClosedAt = null);
