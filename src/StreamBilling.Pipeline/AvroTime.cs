namespace StreamBilling.Pipeline;

/// <summary>Conversions between the generated classes' <see cref="DateTime"/> (timestamp-millis) and <see cref="DateTimeOffset"/>.</summary>
internal static class AvroTime
{
    public static DateTimeOffset From(DateTime value) =>
        new(value.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(value, DateTimeKind.Utc) : value.ToUniversalTime());

    public static DateTime To(DateTimeOffset value) => value.UtcDateTime;

    /// <summary>Start of the UTC hour containing <paramref name="time"/>.</summary>
    public static DateTimeOffset HourOf(DateTimeOffset time)
    {
        var ticks = time.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % TimeSpan.TicksPerHour), TimeSpan.Zero);
    }

    /// <summary>Start of the UTC day containing <paramref name="time"/>.</summary>
    public static DateTimeOffset DayOf(DateTimeOffset time)
    {
        var ticks = time.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % TimeSpan.TicksPerDay), TimeSpan.Zero);
    }

    /// <summary>Start of the UTC month containing <paramref name="time"/>.</summary>
    public static DateTimeOffset MonthOf(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        return new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero);
    }
}
