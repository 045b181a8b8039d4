namespace StreamBilling.Billing;

/// <summary>
/// Billed time under <see cref="RateCards.InstanceBilling.PerSecond"/>: whole seconds, at least 60 per session. Every
/// figure is cumulative from the session start, and a slice is the difference of two cumulative figures, so any cuts
/// of a session (hour slices, month pieces, price changes) add up to exactly the session's figure and the minimum is
/// charged once per session, in the slice (and month) where the session starts.
/// </summary>
public static class PerSecondBilling
{
    /// <summary>The minimum billed time of a session that ran at all.</summary>
    public const long MinimumSeconds = 60;

    /// <summary>Decimal places of billed hours (the priced line's quantity scale).</summary>
    public const int HoursScale = 9;

    /// <summary>Billed seconds of a session that has run for <paramref name="used"/>: 0 when it did not run, else <c>max(60, ceil(seconds))</c>.</summary>
    public static long BilledSeconds(TimeSpan used)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(used, TimeSpan.Zero);
        if (used == TimeSpan.Zero)
        {
            return 0;
        }

        return Math.Max(MinimumSeconds, (used.Ticks + TimeSpan.TicksPerSecond - 1) / TimeSpan.TicksPerSecond);
    }

    /// <summary>
    /// Billed hours of a session that has run for <paramref name="used"/>: <see cref="BilledSeconds(TimeSpan)"/> / 3600,
    /// rounded half away from zero to <see cref="HoursScale"/> places (a second is not a finite decimal fraction of an hour;
    /// the error is below 5e-10 hours per session, far below the invoice's rounding of money).
    /// </summary>
    public static decimal BilledHours(TimeSpan used) => Math.Round(BilledSeconds(used) / 3600m, HoursScale, MidpointRounding.AwayFromZero);

    /// <summary>Billed seconds of the slice <c>[from, until)</c> of a session that started at <paramref name="sessionStart"/>.</summary>
    /// <exception cref="ArgumentException">The slice starts before the session or ends before it starts.</exception>
    public static long BilledSeconds(DateTimeOffset sessionStart, DateTimeOffset from, DateTimeOffset until)
    {
        Check(sessionStart, from, until);
        return BilledSeconds(until - sessionStart) - BilledSeconds(from - sessionStart);
    }

    /// <summary>Billed hours of the slice <c>[from, until)</c>: the difference of the cumulative rounded hours, so slices add up exactly.</summary>
    /// <exception cref="ArgumentException">The slice starts before the session or ends before it starts.</exception>
    public static decimal BilledHours(DateTimeOffset sessionStart, DateTimeOffset from, DateTimeOffset until)
    {
        Check(sessionStart, from, until);
        return BilledHours(until - sessionStart) - BilledHours(from - sessionStart);
    }

    private static void Check(DateTimeOffset sessionStart, DateTimeOffset from, DateTimeOffset until)
    {
        if (from < sessionStart || until < from)
        {
            throw new ArgumentException("The slice must satisfy sessionStart <= from <= until.", nameof(from));
        }
    }
}
