using System.Globalization;

namespace StreamBilling.IntegrationTests.Operations;

/// <summary>A Prometheus text exposition, parsed: metric families (from <c># TYPE</c>) and samples (series → value).</summary>
public sealed class PrometheusScrape
{
    private PrometheusScrape(string text, IReadOnlySet<string> families, IReadOnlyList<(string Name, string Labels, double Value)> samples)
    {
        Text = text;
        Families = families;
        Samples = samples;
    }

    /// <summary>The text as scraped.</summary>
    public string Text { get; }

    /// <summary>Family names as declared by <c># TYPE</c>.</summary>
    public IReadOnlySet<string> Families { get; }

    /// <summary>Every sample: series name (with its <c>_total</c>, <c>_bucket</c> … suffix), label text, value.</summary>
    public IReadOnlyList<(string Name, string Labels, double Value)> Samples { get; }

    /// <summary>Every name a query may use: families and sample series names.</summary>
    public IReadOnlySet<string> Names => Families.Concat(Samples.Select(s => s.Name)).ToHashSet(StringComparer.Ordinal);

    /// <summary>Parses <paramref name="text"/>.</summary>
    public static PrometheusScrape Parse(string text)
    {
        var families = new HashSet<string>(StringComparer.Ordinal);
        var samples = new List<(string, string, double)>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                families.Add(line.Split(' ')[2]);
                continue;
            }

            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var brace = line.IndexOf('{', StringComparison.Ordinal);
            var space = brace >= 0 ? line.IndexOf(' ', line.LastIndexOf('}')) : line.IndexOf(' ', StringComparison.Ordinal);
            var name = brace >= 0 ? line[..brace] : line[..space];
            var labels = brace >= 0 ? line[(brace + 1)..line.LastIndexOf('}')] : string.Empty;
            var value = line[(space + 1)..].Split(' ')[0];
            samples.Add((name, labels, double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture)));
        }

        return new PrometheusScrape(text, families, samples);
    }

    /// <summary>Sum of the samples of <paramref name="name"/> whose labels contain every one of <paramref name="labels"/> (<c>key="value"</c>).</summary>
    public double Sum(string name, params string[] labels) =>
        Samples.Where(s => s.Name == name && labels.All(l => s.Labels.Contains(l, StringComparison.Ordinal))).Sum(s => s.Value);

    /// <summary>True when a sample of <paramref name="name"/> exists with every one of <paramref name="labels"/>.</summary>
    public bool Has(string name, params string[] labels) =>
        Samples.Any(s => s.Name == name && labels.All(l => s.Labels.Contains(l, StringComparison.Ordinal)));
}
