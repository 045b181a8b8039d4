using System.Globalization;

namespace StreamBilling.Cli.Commands;

/// <summary>What the Streamiz child printed: its measured interval and CPU, and the sample's window sums from its store.</summary>
internal sealed record StreamizResult(double Seconds, double CpuSeconds, long PeakWorkingSetMib, IReadOnlyList<(string Key, DateTimeOffset Start, long Sum)> Windows)
{
    /// <summary>Reads the <c>result k=v …</c> line and the <c>window KEY START_MS SUM</c> lines.</summary>
    public static StreamizResult Parse(IReadOnlyList<string> lines)
    {
        var resultLine = lines.LastOrDefault(l => l.StartsWith("result ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException("The Streamiz child printed no result line.");
        var fields = resultLine.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => f.Split('=', 2)).ToDictionary(f => f[0], f => f[1], StringComparer.Ordinal);
        var windows = lines.Where(l => l.StartsWith("window ", StringComparison.Ordinal))
            .Select(l => l.Split(' '))
            .Select(f => (f[1], DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(f[2], CultureInfo.InvariantCulture)), long.Parse(f[3], CultureInfo.InvariantCulture)))
            .ToList();
        return new StreamizResult(
            double.Parse(fields["seconds"], CultureInfo.InvariantCulture),
            double.Parse(fields["cpu-seconds"], CultureInfo.InvariantCulture),
            long.Parse(fields["peak-working-set-mib"], CultureInfo.InvariantCulture),
            windows);
    }
}
