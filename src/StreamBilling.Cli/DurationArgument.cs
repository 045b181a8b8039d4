using System.CommandLine.Parsing;
using System.Globalization;

namespace StreamBilling.Cli;

/// <summary>Parses durations written as <c>500ms</c>, <c>30s</c>, <c>15m</c>, <c>2h</c>, <c>1d</c> or a TimeSpan (<c>00:00:30</c>, <c>1.00:00:00</c>).</summary>
internal static class DurationArgument
{
    private static readonly (string Suffix, Func<double, TimeSpan> Unit)[] Units =
    [
        ("ms", TimeSpan.FromMilliseconds),
        ("s", TimeSpan.FromSeconds),
        ("m", TimeSpan.FromMinutes),
        ("h", TimeSpan.FromHours),
        ("d", TimeSpan.FromDays),
    ];

    /// <summary>A System.CommandLine custom parser: the duration of the option's single token, or an error naming the accepted forms.</summary>
    public static TimeSpan Parse(ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
        if (TryParse(text, out var duration) && duration > TimeSpan.Zero)
        {
            return duration;
        }

        result.AddError($"'{text}' is not a positive duration (examples: 500ms, 30s, 15m, 2h, 1d, 00:00:30).");
        return default;
    }

    /// <summary>Parses <paramref name="text"/>; false when it is neither a suffixed number nor a TimeSpan.</summary>
    public static bool TryParse(string text, out TimeSpan duration)
    {
        text = text.Trim();
        foreach (var (suffix, unit) in Units)
        {
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && double.TryParse(text.AsSpan(0, text.Length - suffix.Length), NumberStyles.Float, CultureInfo.InvariantCulture, out var amount))
            {
                duration = unit(amount);
                return true;
            }
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration);
    }
}
