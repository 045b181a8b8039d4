using StreamBilling.Billing;
using StreamBilling.Billing.UsagePricing;
using StreamBilling.Events.Outputs;
using StreamBilling.Pipeline.Pricing;

namespace StreamBilling.Pipeline.Invoicing;

/// <summary>A priced line as stored (the bill engine's <see cref="PricedLine"/> fields, plus the stream's id and retraction flag).</summary>
internal sealed record LineEntry(
    string LineId,
    bool IsRetraction,
    IReadOnlyList<string> SourceEventIds,
    string CustomerId,
    BillableService Service,
    string Region,
    string ResourceId,
    string UsageType,
    BillingMonth Month,
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
        // Kept in the ledger until the month closes: repeating values are shared, not copied per line.
        return new LineEntry(
            record.eventId, record.isRetraction, line.SourceEventIds, SharedStrings.Share(line.CustomerId), line.Service, SharedStrings.Share(line.Region),
            SharedStrings.Share(line.ResourceId), SharedStrings.Share(line.UsageType), line.Month, line.UsageStart, line.UsageEnd, line.Quantity,
            SharedStrings.Share(line.Unit), line.Rate, SharedStrings.Share(line.Currency), SharedStrings.Share(line.RateCardVersion), line.Instance);
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
        Month = Month,
        UsageStart = UsageStart,
        UsageEnd = UsageEnd,
        Quantity = Quantity,
        Unit = Unit,
        Rate = Rate,
        Currency = Currency,
        RateCardVersion = RateCardVersion,
        Instance = Instance,
    };

    /// <summary>Equal but for the order-insensitive list reference: a re-delivered line with the same content.</summary>
    public bool SameAs(LineEntry other) =>
        this with { SourceEventIds = other.SourceEventIds } == other && SourceEventIds.SequenceEqual(other.SourceEventIds, StringComparer.Ordinal);
}
