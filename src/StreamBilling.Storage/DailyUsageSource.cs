namespace StreamBilling.Storage;

/// <summary>One upstream record as the daily usage view stores it: its id and the UTC days it covers.</summary>
/// <param name="SourceId">The record's id (a priced line's or a sample's eventId); storing it again replaces its days.</param>
/// <param name="CustomerId">The account.</param>
/// <param name="Service">The service's <c>ServiceKind</c> name, e.g. <c>Cdn</c>.</param>
/// <param name="Figure">A priced line or a CDN estimate.</param>
/// <param name="Unit">Unit of the quantities, e.g. <c>GB</c>.</param>
/// <param name="Currency">Currency of the costs; empty for an estimate.</param>
/// <param name="Days">The days it covers; empty when the record was withdrawn (a retracted line).</param>
public sealed record DailyUsageSource(
    string SourceId,
    string CustomerId,
    string Service,
    DailyUsageFigure Figure,
    string Unit,
    string Currency,
    IReadOnlyList<DailyUsagePiece> Days);
