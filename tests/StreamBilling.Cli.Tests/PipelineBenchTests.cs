using System.Globalization;
using System.Text.RegularExpressions;

namespace StreamBilling.Cli.Tests;

/// <summary>
/// <c>streambilling bench pipeline</c> as the user runs it (the built CLI as a process) on a small input: the CPU table
/// names the applications, the records-moved line and the last line carry their figures.
/// </summary>
public sealed partial class PipelineBenchTests
{
    [Fact]
    public async Task A_small_run_prints_cpu_by_application_records_moved_and_the_last_line()
    {
        var lines = await BuiltCli.RunAsync(["bench", "pipeline", "--customers", "6", "--hours", "3"]);
        var output = string.Join(Environment.NewLine, lines);

        var last = LastLine().Match(lines[^1]);
        Assert.True(last.Success, output);
        Assert.True(double.Parse(last.Groups["rate"].Value, CultureInfo.InvariantCulture) > 0, output);
        Assert.True(double.Parse(last.Groups["cpu"].Value, CultureInfo.InvariantCulture) > 0, output);

        // Stream threads are shown under their application's name, not the OS's truncated thread name.
        string[] applications = ["sessions", "cdn-caps", "cdn-usage", "rollups", "pricing", "invoices"];
        var groups = lines.Select(l => CpuRow().Match(l)).Where(m => m.Success).Select(m => m.Groups["group"].Value).ToList();
        Assert.Contains(groups, applications.Contains);
        Assert.DoesNotContain(groups, g => g.StartsWith("bench-", StringComparison.Ordinal));
        var moved = Moved().Match(output);
        Assert.True(moved.Success, output);
        Assert.True(double.Parse(moved.Groups["pipeline"].Value, CultureInfo.InvariantCulture) > double.Parse(moved.Groups["read"].Value, CultureInfo.InvariantCulture), output);

        // The broker runs in its own process: its CPU and memory are printed apart, and none of its threads is in the table.
        Assert.Matches(@"^pipeline: .* s CPU \(broker process: [\d.]+ s more\)", lines.Single(l => l.StartsWith("pipeline: ", StringComparison.Ordinal)));
        Assert.Matches(@"peak working set [\d,]+ MiB \(broker process: [\d,]+ MiB\)", output);
        Assert.DoesNotContain(groups, g => g.Contains("rdk:mock", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_the_broker_in_process_no_broker_process_is_reported_and_its_logs_are_in_the_working_set()
    {
        var lines = await BuiltCli.RunAsync(["bench", "pipeline", "--customers", "3", "--hours", "1", "--apps", "sessions", "--broker", "in-process"]);
        var output = string.Join(Environment.NewLine, lines);

        Assert.True(LastLine().IsMatch(lines[^1]), output);
        Assert.DoesNotContain("broker process", output, StringComparison.Ordinal);
        Assert.Matches(@"peak working set [\d,]+ MiB \(the embedded broker's logs in it\)", output);
    }

    [GeneratedRegex(@"^pipeline (?<rate>\d+) events/s, passthrough \d+ events/s, ratio [\d.]+, cpu (?<cpu>[\d.]+) us/event \(passthrough [\d.]+\), cap p99 (\d+|NaN) ms$")]
    private static partial Regex LastLine();

    [GeneratedRegex(@"^\s*cpu\s+[\d.]+ s\s+\d+ %\s+(?<group>.+)$")]
    private static partial Regex CpuRow();

    [GeneratedRegex(@"records moved per event: pipeline (?<pipeline>[\d.]+) \(read (?<read>[\d.]+), written [\d.]+\), passthrough [\d.]+")]
    private static partial Regex Moved();
}
