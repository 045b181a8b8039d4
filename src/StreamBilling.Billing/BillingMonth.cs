using System.Globalization;
using System.Text.Json.Serialization;

namespace StreamBilling.Billing;

/// <summary>A calendar month in UTC, the period of one bill; written and read as <c>yyyy-MM</c> (also in JSON).</summary>
[JsonConverter(typeof(BillingMonthJsonConverter))]
public readonly record struct BillingMonth : IComparable<BillingMonth>
{
    /// <summary>Creates the month; <paramref name="month"/> is 1-12.</summary>
    public BillingMonth(int year, int month)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(year, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(year, 9998);
        ArgumentOutOfRangeException.ThrowIfLessThan(month, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(month, 12);
        Year = year;
        Month = month;
    }

    /// <summary>The year.</summary>
    public int Year { get; }

    /// <summary>The month of the year, 1-12.</summary>
    public int Month { get; }

    /// <summary>Midnight UTC on the first day of the month.</summary>
    public DateTimeOffset Start => new(Year, Month, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Midnight UTC on the first day of the next month (exclusive end).</summary>
    public DateTimeOffset End => Start.AddMonths(1);

    /// <summary>Number of days in the month (28-31).</summary>
    public int Days => DateTime.DaysInMonth(Year, Month);

    /// <summary>The month that follows this one.</summary>
    public BillingMonth Next => Month == 12 ? new BillingMonth(Year + 1, 1) : new BillingMonth(Year, Month + 1);

    /// <summary>The month before this one.</summary>
    public BillingMonth Previous => Month == 1 ? new BillingMonth(Year - 1, 12) : new BillingMonth(Year, Month - 1);

    /// <summary>Months from <paramref name="other"/> to this month (positive when this is later).</summary>
    public int MonthsSince(BillingMonth other) => ((Year - other.Year) * 12) + (Month - other.Month);

    /// <summary>The month containing the instant (taken in UTC).</summary>
    public static BillingMonth Of(DateTimeOffset instant)
    {
        var utc = instant.UtcDateTime;
        return new BillingMonth(utc.Year, utc.Month);
    }

    /// <summary>The month containing the date.</summary>
    public static BillingMonth Of(DateOnly date) => new(date.Year, date.Month);

    /// <summary>Reads <c>yyyy-MM</c>, the form <see cref="ToString"/> writes.</summary>
    /// <exception cref="FormatException">Not a <c>yyyy-MM</c> month.</exception>
    public static BillingMonth Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var first = DateTime.ParseExact(text, Format, CultureInfo.InvariantCulture);
        return new BillingMonth(first.Year, first.Month);
    }

    /// <summary>Reads <c>yyyy-MM</c>; false when <paramref name="text"/> is not such a month.</summary>
    public static bool TryParse(string? text, out BillingMonth month)
    {
        month = default;
        if (text is null || !DateTime.TryParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var first) || first.Year > 9998)
        {
            return false;
        }

        month = new BillingMonth(first.Year, first.Month);
        return true;
    }

    /// <inheritdoc />
    public int CompareTo(BillingMonth other) => Year != other.Year ? Year.CompareTo(other.Year) : Month.CompareTo(other.Month);

    /// <summary>Compares months chronologically.</summary>
    public static bool operator <(BillingMonth left, BillingMonth right) => left.CompareTo(right) < 0;

    /// <summary>Compares months chronologically.</summary>
    public static bool operator >(BillingMonth left, BillingMonth right) => left.CompareTo(right) > 0;

    /// <summary>Compares months chronologically.</summary>
    public static bool operator <=(BillingMonth left, BillingMonth right) => left.CompareTo(right) <= 0;

    /// <summary>Compares months chronologically.</summary>
    public static bool operator >=(BillingMonth left, BillingMonth right) => left.CompareTo(right) >= 0;

    /// <summary>English name and year, as on the bill: <c>August 2021</c>.</summary>
    public string ToLongName() => Start.ToString("MMMM yyyy", CultureInfo.InvariantCulture);

    /// <summary>Upper-case abbreviation and year, as in bill file names: <c>AUG-2021</c>.</summary>
    public string ToFileTag() => Start.ToString("MMM", CultureInfo.InvariantCulture).ToUpperInvariant() + "-" + Year.ToString("D4", CultureInfo.InvariantCulture);

    /// <summary>The text form: <c>yyyy-MM</c>.</summary>
    public const string Format = "yyyy-MM";

    /// <summary><c>yyyy-MM</c>, e.g. <c>2021-08</c>.</summary>
    public override string ToString() => Year.ToString("D4", CultureInfo.InvariantCulture) + "-" + Month.ToString("D2", CultureInfo.InvariantCulture);
}
