using System.Text.RegularExpressions;

namespace StreamBilling.IntegrationTests.Operations;

/// <summary>Metric names in a PromQL expression: identifiers that are not functions, keywords, labels, strings or ranges.</summary>
internal static partial class PromQl
{
    private static readonly HashSet<string> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset", "and", "or", "unless", "inf", "nan",
    };

    /// <summary>The metric names <paramref name="expression"/> selects.</summary>
    public static IReadOnlySet<string> MetricNames(string expression)
    {
        var text = Strings().Replace(expression, " ");
        text = LabelMatchers().Replace(text, " ");
        text = Ranges().Replace(text, " ");
        text = Groupings().Replace(text, " ");
        return Identifiers().Matches(text)
            .Where(m => !m.Groups["call"].Success && !Keywords.Contains(m.Groups["name"].Value))
            .Select(m => m.Groups["name"].Value)
            .ToHashSet(StringComparer.Ordinal);
    }

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'")]
    private static partial Regex Strings();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex LabelMatchers();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Ranges();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Groupings();

    [GeneratedRegex(@"(?<![\w$.])(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?<call>\s*\()?")]
    private static partial Regex Identifiers();
}
