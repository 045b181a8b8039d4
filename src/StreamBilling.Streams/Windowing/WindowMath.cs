namespace StreamBilling.Streams;

/// <summary>Pure window arithmetic on UTC ticks; windows are aligned to the Unix epoch.</summary>
internal static class WindowMath
{
    internal static readonly long EpochTicks = DateTimeOffset.UnixEpoch.UtcTicks;

    /// <summary>Largest multiple of <paramref name="advance"/> (counted from the epoch) that is ≤ <paramref name="ticks"/>.</summary>
    internal static long AlignDown(long ticks, long advance)
    {
        var sinceEpoch = ticks - EpochTicks;
        var remainder = sinceEpoch % advance;
        // C# remainder keeps the dividend's sign; floor towards negative infinity for times before the epoch.
        if (remainder < 0)
        {
            remainder += advance;
        }

        return ticks - remainder;
    }

    /// <summary>
    /// First and last start of the windows of <paramref name="size"/> hopping by <paramref name="advance"/> that contain
    /// <paramref name="ticks"/> (start ≤ t &lt; start + size). Starts before <see cref="DateTimeOffset.MinValue"/> are cut off.
    /// </summary>
    internal static (long First, long Last) StartsContaining(long ticks, long size, long advance)
    {
        var last = AlignDown(ticks, advance);
        // Smallest aligned start strictly greater than t - size.
        var first = AlignDown(ticks - size, advance) + advance;
        var min = AlignUp(DateTimeOffset.MinValue.UtcTicks, advance);
        if (first < min)
        {
            first = min;
        }

        return (first, last);
    }

    internal static long AlignUp(long ticks, long advance)
    {
        var down = AlignDown(ticks, advance);
        return down == ticks ? ticks : down + advance;
    }

    /// <summary>Window end, clamped so it stays a valid <see cref="DateTimeOffset"/>.</summary>
    internal static long End(long start, long size) =>
        start > DateTimeOffset.MaxValue.UtcTicks - size ? DateTimeOffset.MaxValue.UtcTicks : start + size;

    internal static DateTimeOffset ToTime(long ticks) => new(ticks, TimeSpan.Zero);
}
