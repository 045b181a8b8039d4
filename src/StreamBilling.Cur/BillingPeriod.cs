using System.Globalization;

namespace StreamBilling.Cur;

/// <summary>A calendar month in UTC, the unit AWS bills and writes CUR manifests in; written <c>yyyy-MM</c>.</summary>
public readonly record struct BillingPeriod : IComparable<BillingPeriod>
{
    public BillingPeriod(int year, int month)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(year, 2000);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(year, 9998);
        ArgumentOutOfRangeException.ThrowIfLessThan(month, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(month, 12);
        Year = year;
        Month = month;
    }

    public int Year { get; }

    public int Month { get; }

    /// <summary>The first instant of the month, UTC.</summary>
    public DateTimeOffset Start => new(Year, Month, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The first instant of the next month, UTC (exclusive end).</summary>
    public DateTimeOffset End => Start.AddMonths(1);

    /// <summary>The month after this one.</summary>
    public BillingPeriod Next => Of(End);

    /// <summary>The period <paramref name="instant"/> falls in (UTC).</summary>
    public static BillingPeriod Of(DateTimeOffset instant)
    {
        var utc = instant.ToUniversalTime();
        return new BillingPeriod(utc.Year, utc.Month);
    }

    /// <summary>Reads <c>yyyy-MM</c>.</summary>
    public static bool TryParse(string? text, out BillingPeriod period)
    {
        period = default;
        if (text is null || !DateTime.TryParseExact(text.Trim(), "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month) || month.Year < 2000)
        {
            return false;
        }

        period = new BillingPeriod(month.Year, month.Month);
        return true;
    }

    /// <summary>Reads <c>yyyy-MM</c>.</summary>
    /// <exception cref="FormatException">Not a <c>yyyy-MM</c> month from 2000 on.</exception>
    public static BillingPeriod Parse(string text) =>
        TryParse(text, out var period) ? period : throw new FormatException($"'{text}' is not a billing period (yyyy-MM, e.g. 2024-07).");

    public int CompareTo(BillingPeriod other) => (Year, Month).CompareTo((other.Year, other.Month));

    public static bool operator <(BillingPeriod left, BillingPeriod right) => left.CompareTo(right) < 0;

    public static bool operator >(BillingPeriod left, BillingPeriod right) => left.CompareTo(right) > 0;

    public static bool operator <=(BillingPeriod left, BillingPeriod right) => left.CompareTo(right) <= 0;

    public static bool operator >=(BillingPeriod left, BillingPeriod right) => left.CompareTo(right) >= 0;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{Month:D2}");
}
