namespace StreamBilling.Billing.RateCards;

/// <summary>How a tiered metered rate prices the month's quantity.</summary>
public enum TierMode
{
    /// <summary>Each unit at the rate of the tier it falls in (the first 10 TB at tier 1, the next at tier 2, ...). The default.</summary>
    Graduated,

    /// <summary>
    /// Every unit of the month at the rate of the tier the month's total reaches. Month to date, a figure that moves the
    /// month into another tier re-prices the units counted before it with correction lines.
    /// </summary>
    Volume,
}
