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
    /// Started hours of the slice <c>[from, until)</c> of a usage piece that began at <paramref name="anchor"/>:
    /// <c>BilledHours(until - anchor) - BilledHours(from - anchor)</c>. Slices of one piece therefore add up to the
    /// piece's <see cref="BilledHours(TimeSpan)"/> however the piece is cut, so a stream that bills a running instance
    /// hour by hour charges exactly what the batch bill charges for the whole event. Each hour is charged to the slice
    /// in which it starts.
    /// </summary>
    /// <exception cref="ArgumentException">The slice starts before the anchor or ends before it starts.</exception>
    public static long BilledHours(DateTimeOffset anchor, DateTimeOffset from, DateTimeOffset until)
    {
        if (from < anchor || until < from)
        {
            throw new ArgumentException("The slice must satisfy anchor <= from <= until.", nameof(from));
        }

        return BilledHours(until - anchor) - BilledHours(from - anchor);
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
