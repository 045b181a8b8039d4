namespace StreamBilling.Pipeline.Cdn;

/// <summary>A CDN cap: more than <see cref="LimitGb"/> GB of CloudWatch traffic within any <see cref="Window"/> (hopping by <see cref="Advance"/>).</summary>
/// <param name="Window">Window length, e.g. 15 minutes.</param>
/// <param name="Advance">Distance between window starts, e.g. 1 minute.</param>
/// <param name="LimitGb">The cap in GB (10^9 bytes, as configured: <c>Pipeline:CdnCaps:Limits:N:LimitGb</c>); a window whose total exceeds it crosses the cap.</param>
public sealed record CdnCapLimit(TimeSpan Window, TimeSpan Advance, decimal LimitGb)
{
    /// <summary>Bytes in a GB as the billing messages count them (10^9).</summary>
    public const long BytesPerGb = 1_000_000_000;

    /// <summary>The cap in bytes (<see cref="LimitGb"/> rounded to a whole byte), as the windows count and decisions carry it; computed once, as every sample reads it.</summary>
    public long LimitBytes { get; } = (long)decimal.Round(LimitGb * BytesPerGb);

    /// <summary>Short name used in store names and ids, e.g. <c>15m</c> or <c>3h</c>.</summary>
    public string Name { get; } = NameOf(Window);

    /// <summary>Short name of a window length: whole hours as <c>3h</c>, anything else in minutes (<c>15m</c>).</summary>
    public static string NameOf(TimeSpan window) =>
        window.Ticks % TimeSpan.TicksPerHour == 0 && window > TimeSpan.Zero
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{(long)window.TotalHours}h")
            : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{(long)window.TotalMinutes}m");

    /// <summary>Describes the cap, e.g. <c>100 GB/15m</c>.</summary>
    public override string ToString() => $"{LimitGb} GB/{Name}";
}
