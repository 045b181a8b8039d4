namespace StreamBilling.Pipeline.DailyUsage;

/// <summary>A quantity and its cost (in the series' unit and currency).</summary>
/// <param name="Quantity">The quantity.</param>
/// <param name="Cost">The cost.</param>
public sealed record DailyUsageAmount(decimal Quantity, decimal Cost);
