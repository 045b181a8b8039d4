namespace StreamBilling.Billing;

/// <summary>Cuts a usage interval at UTC month boundaries; each piece is then billed in whole started hours.</summary>
public static class MonthSplitter
{
    /// <summary>Started hours for a used time: <c>ceil(seconds / 3600)</c>, computed exactly on ticks.</summary>
    public static long BilledHours(TimeSpan used)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(used, TimeSpan.Zero);
        return (used.Ticks + TimeSpan.TicksPerHour - 1) / TimeSpan.TicksPerHour;
    }

    /// <summary>
    /// The month pieces of <c>[from, until)</c>, in order. An empty interval yields one empty piece in the month of
    /// <paramref name="from"/>, so the event still counts as a resource with no billed hours.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="until"/> is before <paramref name="from"/>.</exception>
    public static MonthPieces Split(DateTimeOffset from, DateTimeOffset until)
    {
        if (until < from)
        {
            throw new ArgumentException("Until is before From.", nameof(until));
        }

        return new MonthPieces(from.ToUniversalTime(), until.ToUniversalTime());
    }
}
