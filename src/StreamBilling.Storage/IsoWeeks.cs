using System.Globalization;

namespace StreamBilling.Storage;

/// <summary>ISO 8601 week labels as stored (<c>yyyy-Www</c>, e.g. <c>2024-W33</c>); their ordinal order is time order.</summary>
public static class IsoWeeks
{
    /// <summary>The ISO week containing <paramref name="time"/> (in UTC).</summary>
    public static string Of(DateTimeOffset time)
    {
        var date = time.UtcDateTime;
        return string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(date):D4}-W{ISOWeek.GetWeekOfYear(date):D2}");
    }

    /// <summary>Monday 00:00 UTC of the ISO week <paramref name="label"/>.</summary>
    public static DateTimeOffset StartOf(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        if (label.Length != 8 || label[4] != '-' || label[5] != 'W'
            || !int.TryParse(label.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || !int.TryParse(label.AsSpan(6, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var week)
            || week < 1 || week > ISOWeek.GetWeeksInYear(year))
        {
            throw new FormatException($"'{label}' is not an ISO week like 2024-W33.");
        }

        return new DateTimeOffset(ISOWeek.ToDateTime(year, week, DayOfWeek.Monday), TimeSpan.Zero);
    }
}
