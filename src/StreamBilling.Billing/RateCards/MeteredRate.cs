namespace StreamBilling.Billing.RateCards;

/// <summary>The price of one metered usage type: a flat rate per unit, or graduated tiers over the month's quantity.</summary>
/// <param name="Unit">Unit of the priced quantity, e.g. <c>GB</c>, <c>Requests</c>, <c>GB-Months</c>.</param>
/// <param name="Tiers">One tier with <see cref="RateTier.UpTo"/> null for a flat rate; otherwise ascending tiers, the last open-ended.</param>
public sealed record MeteredRate(string Unit, IReadOnlyList<RateTier> Tiers)
{
    /// <summary>True when the price depends on the month's cumulative quantity.</summary>
    public bool IsTiered => Tiers.Count > 1;
}
