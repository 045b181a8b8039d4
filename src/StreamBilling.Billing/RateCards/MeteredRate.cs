namespace StreamBilling.Billing.RateCards;

/// <summary>The price of one metered usage type: a flat rate per unit, or tiers over the month's quantity.</summary>
/// <param name="Unit">Unit of the priced quantity, e.g. <c>GB</c>, <c>Requests</c>, <c>GB-Months</c>.</param>
/// <param name="Tiers">One tier with <see cref="RateTier.UpTo"/> null for a flat rate; otherwise ascending tiers, the last open-ended.</param>
/// <param name="Mode">Graduated (each unit in its own tier) or volume (every unit at the tier the month's total reaches).</param>
public sealed record MeteredRate(string Unit, IReadOnlyList<RateTier> Tiers, TierMode Mode = TierMode.Graduated)
{
    /// <summary>True when the price depends on the month's cumulative quantity.</summary>
    public bool IsTiered => Tiers.Count > 1;

    /// <summary>
    /// Index of the tier a month total of <paramref name="total"/> units reaches (volume tiers): the first tier whose
    /// <see cref="RateTier.UpTo"/> is not below the total, so a total of exactly <c>UpTo</c> stays in that tier.
    /// </summary>
    public int VolumeTierOf(decimal total)
    {
        for (var i = 0; i < Tiers.Count - 1; i++)
        {
            if (total <= Tiers[i].UpTo)
            {
                return i;
            }
        }

        return Tiers.Count - 1;
    }
}
