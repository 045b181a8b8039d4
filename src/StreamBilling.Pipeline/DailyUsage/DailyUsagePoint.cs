namespace StreamBilling.Pipeline.DailyUsage;

/// <summary>One UTC day of a <see cref="DailyUsageSeries"/>.</summary>
/// <param name="Date">The UTC day.</param>
/// <param name="Quantity">The day's quantity in <paramref name="Unit"/> (for CDN: that of <paramref name="CostBasis"/>).</param>
/// <param name="Unit">Unit of the quantities.</param>
/// <param name="Cost">The day's cost in the series' currency.</param>
/// <param name="CostBasis">What the cost rests on: <c>Priced</c> (not CDN), <c>Authoritative</c> or <c>Estimate</c> (CDN).</param>
/// <param name="Estimate">CDN: the CloudWatch estimate, priced when read; null when no sample covers the day (and for other services).</param>
/// <param name="Authoritative">CDN: the Cost Explorer figure as billed; null until it arrives (and for other services).</param>
/// <param name="Reconciled">CDN: both figures are in and differ.</param>
/// <param name="Difference">When reconciled: authoritative minus estimate; otherwise null.</param>
public sealed record DailyUsagePoint(
    DateOnly Date,
    decimal Quantity,
    string Unit,
    decimal Cost,
    DailyCostBasis CostBasis,
    DailyUsageAmount? Estimate,
    DailyUsageAmount? Authoritative,
    bool Reconciled,
    DailyUsageAmount? Difference);
