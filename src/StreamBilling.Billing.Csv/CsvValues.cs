using System.Globalization;

namespace StreamBilling.Billing.Csv;

/// <summary>Strict parsing of the values in the input files; anything else is a row error, never a guess.</summary>
internal static class CsvValues
{
    /// <summary>Money such as <c>$1,234.5600</c>: <c>$</c>, thousands separators and spaces are accepted.</summary>
    public static bool TryParseMoney(string text, out decimal value)
    {
        Span<char> buffer = stackalloc char[Math.Min(text.Length, 64)];
        var n = 0;
        foreach (var c in text)
        {
            if (c is '$' or ',' || char.IsWhiteSpace(c))
            {
                continue;
            }

            if (n == buffer.Length)
            {
                value = 0;
                return false;
            }

            buffer[n++] = c;
        }

        return decimal.TryParse(buffer[..n], NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value) && n > 0;
    }

    /// <summary>A UTC timestamp <c>yyyy-MM-ddTHH:mm:ss</c>, optionally followed by <c>Z</c>.</summary>
    public static bool TryParseTimestamp(string text, out DateTimeOffset value)
    {
        var s = text.AsSpan();
        if (s.Length == 20 && s[19] == 'Z')
        {
            s = s[..19];
        }

        value = default;
        if (s.Length != 19 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':')
        {
            return false;
        }

        if (!TryDigits(s[..4], out var year) || !TryDigits(s.Slice(5, 2), out var month) || !TryDigits(s.Slice(8, 2), out var day)
            || !TryDigits(s.Slice(11, 2), out var hour) || !TryDigits(s.Slice(14, 2), out var minute) || !TryDigits(s.Slice(17, 2), out var second))
        {
            return false;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        value = new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.Zero);
        return true;
    }

    /// <summary>A date <c>yyyy-MM-dd</c>.</summary>
    public static bool TryParseDate(string text, out DateOnly value) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out value);

    /// <summary><c>Linux</c> or <c>Windows</c>, any case.</summary>
    public static bool TryParseOs(string text, out InstanceOs value)
    {
        if (text.Equals("Linux", StringComparison.OrdinalIgnoreCase))
        {
            value = InstanceOs.Linux;
            return true;
        }

        value = InstanceOs.Windows;
        return text.Equals("Windows", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary><c>Yes</c> or <c>No</c>, any case.</summary>
    public static bool TryParseYesNo(string text, out bool value)
    {
        value = text.Equals("Yes", StringComparison.OrdinalIgnoreCase) || text.Equals("Y", StringComparison.OrdinalIgnoreCase);
        return value || text.Equals("No", StringComparison.OrdinalIgnoreCase) || text.Equals("N", StringComparison.OrdinalIgnoreCase);
    }

    private static bool TryDigits(ReadOnlySpan<char> s, out int value)
    {
        value = 0;
        foreach (var c in s)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }
}
