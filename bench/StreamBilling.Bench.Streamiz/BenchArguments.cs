using System.Globalization;

namespace StreamBilling.Bench.Streamiz;

/// <summary>The child's <c>--name value</c> arguments, as the CLI passes them.</summary>
public sealed class BenchArguments
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public BenchArguments(IReadOnlyList<string> args)
    {
        for (var i = 0; i + 1 < args.Count; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Expected --name value pairs, got '{args[i]}'.");
            }

            _values[args[i][2..]] = args[i + 1];
        }
    }

    public string Text(string name) => _values.TryGetValue(name, out var value) ? value : throw new ArgumentException($"--{name} is required.");

    public long Number(string name) => long.Parse(Text(name), CultureInfo.InvariantCulture);

    public string[] List(string name) => Text(name).Split(',', StringSplitOptions.RemoveEmptyEntries);
}
