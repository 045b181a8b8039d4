using System.Globalization;

namespace StreamBilling.Pipeline.Tests;

/// <summary>Short helpers for times in tests.</summary>
internal static class T
{
    public static DateTimeOffset At(string iso) =>
        DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public static DateTime Utc(string iso) => At(iso).UtcDateTime;
}
