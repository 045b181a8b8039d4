namespace StreamBilling.Simulation;

/// <summary>Kind of CDN traffic burst a simulated customer produces.</summary>
public enum CdnBurst
{
    /// <summary>Baseline traffic only: stays well under both caps.</summary>
    None,

    /// <summary>15 minutes of about 120-140 GB: crosses the 100 GB / 15 min cap (and not the 3 h one).</summary>
    FifteenMinutes,

    /// <summary>3 hours of about 540-610 GB at under 52 GB per 15 minutes: crosses only the 500 GB / 3 h cap.</summary>
    ThreeHours,
}
