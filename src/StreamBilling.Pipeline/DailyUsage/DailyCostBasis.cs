namespace StreamBilling.Pipeline.DailyUsage;

/// <summary>Which figure a day's cost rests on.</summary>
public enum DailyCostBasis
{
    /// <summary>The priced lines of the day (every service but CDN).</summary>
    Priced,

    /// <summary>CDN: the near-real-time CloudWatch estimate, priced when read (no Cost Explorer figure yet).</summary>
    Estimate,

    /// <summary>CDN: the Cost Explorer figure as priced for billing.</summary>
    Authoritative,
}
