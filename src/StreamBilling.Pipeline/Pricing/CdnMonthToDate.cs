namespace StreamBilling.Pipeline.Pricing;

/// <summary>
/// A customer's authoritative CDN traffic in one month (store <c>cdn-month-to-date</c>, key <c>customer|yyyy-MM</c>):
/// the GB counted so far (what the next figure's graduated tiers start from) and, per figure counted, the GB before it,
/// so a re-sent figure (same eventId) is priced again from the same point and never counted twice.
/// </summary>
internal sealed class CdnMonthToDate
{
    /// <summary>GB (10^9 bytes) counted this month.</summary>
    public decimal Gb { get; set; }

    /// <summary>eventId → GB counted before that figure.</summary>
    public Dictionary<string, decimal> Counted { get; set; } = new(StringComparer.Ordinal);
}
