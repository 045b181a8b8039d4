using StreamBilling.Events.Outputs;

namespace StreamBilling.Pipeline.Sessions;

/// <summary>
/// Billed hours of a <see cref="UsageSegment"/> slice under the bill engine's rule (each usage event's month piece is
/// billed <c>ceil(seconds / 3600)</c> hours once): <c>ceilHours(end - from) - ceilHours(start - from)</c> with
/// <c>from = max(sessionStart, start of the slice's UTC month)</c>. Summed over the latest version of every slice of a
/// session in a month, this is exactly the batch bill's hours for that month piece.
/// </summary>
public static class SegmentHours
{
    /// <summary>Hours billed for <paramref name="segment"/> (0 for an empty or voided slice).</summary>
    public static long Billed(UsageSegment segment)
    {
        ArgumentNullException.ThrowIfNull(segment);
        return Billed(AvroTime.From(segment.sessionStart), AvroTime.From(segment.segmentStart), AvroTime.From(segment.segmentEnd));
    }

    /// <summary>Hours billed for the slice [<paramref name="start"/>, <paramref name="end"/>) of a session started at <paramref name="sessionStart"/>.</summary>
    public static long Billed(DateTimeOffset sessionStart, DateTimeOffset start, DateTimeOffset end)
    {
        if (end < start || start < sessionStart)
        {
            throw new ArgumentException($"Slice [{start:O}, {end:O}) is not inside a session started at {sessionStart:O}.", nameof(start));
        }

        var monthStart = AvroTime.MonthOf(start);
        var from = sessionStart > monthStart ? sessionStart : monthStart;
        return CeilHours(end - from) - CeilHours(start - from);
    }

    /// <summary>Exact used seconds of the slice (fractional, from millisecond timestamps).</summary>
    public static decimal UsedSeconds(UsageSegment segment)
    {
        ArgumentNullException.ThrowIfNull(segment);
        return (decimal)(AvroTime.From(segment.segmentEnd) - AvroTime.From(segment.segmentStart)).Ticks / TimeSpan.TicksPerSecond;
    }

    private static long CeilHours(TimeSpan used) => (used.Ticks + TimeSpan.TicksPerHour - 1) / TimeSpan.TicksPerHour;
}
