namespace StreamBilling.Billing.RateCards;

/// <summary>One step of a graduated rate: units up to <see cref="UpTo"/> (cumulative in the month) cost <see cref="PerUnit"/> each.</summary>
/// <param name="UpTo">Cumulative monthly quantity where the tier ends (exclusive of later tiers); <see langword="null"/> for the last, open-ended tier.</param>
/// <param name="PerUnit">Price per unit inside the tier.</param>
public sealed record RateTier(decimal? UpTo, decimal PerUnit);
