namespace StreamBilling.Storage;

/// <summary>The sums of one customer's and service's records of one figure, unit and currency on one UTC day.</summary>
/// <param name="Day">The UTC day.</param>
/// <param name="Figure">Priced lines or CDN estimates.</param>
/// <param name="Unit">Unit of <paramref name="Quantity"/>.</param>
/// <param name="Currency">Currency of <paramref name="Cost"/>; empty for estimates.</param>
/// <param name="Quantity">Sum of the quantities.</param>
/// <param name="Cost">Sum of the costs; 0 for estimates.</param>
/// <param name="Records">How many records contributed.</param>
public sealed record DailyUsageTotal(DateOnly Day, DailyUsageFigure Figure, string Unit, string Currency, decimal Quantity, decimal Cost, long Records);
