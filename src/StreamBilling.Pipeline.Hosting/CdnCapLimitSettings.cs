using StreamBilling.Pipeline.Cdn;

namespace StreamBilling.Pipeline.Hosting;

/// <summary>One CDN cap as configured: more than <see cref="LimitGb"/> GB (10^9 bytes) of CloudWatch traffic in any <see cref="Window"/>.</summary>
public sealed class CdnCapLimitSettings
{
    /// <summary>Window length, e.g. <c>00:15:00</c>.</summary>
    public TimeSpan Window { get; set; }

    /// <summary>Distance between window starts, e.g. <c>00:01:00</c>.</summary>
    public TimeSpan Advance { get; set; }

    /// <summary>The cap in GB (10^9 bytes), e.g. 100.</summary>
    public decimal LimitGb { get; set; }

    // CdnCapOptions.Validate checks the result (positive limit and advance, advance within the window).
    internal CdnCapLimit ToLimit() => new(Window, Advance, (long)decimal.Round(LimitGb * CdnCapLimit.BytesPerGb));
}
