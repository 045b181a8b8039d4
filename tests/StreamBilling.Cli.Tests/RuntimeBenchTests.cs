using System.Globalization;
using System.Text.RegularExpressions;

namespace StreamBilling.Cli.Tests;

/// <summary>
/// <c>streambilling bench runtime</c> on both engines, run as the user runs it (the built CLI as a process, which starts
/// the Streamiz engine as its own child): the window sums of a sample are verified and the last line has the rates.
/// </summary>
public sealed partial class RuntimeBenchTests
{
    [Fact]
    public async Task Our_runtime_verifies_its_window_sums_and_prints_rates_ratio_and_cpu()
    {
        var lastLine = await RunBenchAsync("--records", "20000", "--keys", "200", "--per-event-minute", "5000");

        AssertLastLine("runtime", lastLine);
    }

    /// <summary>About 20–40 s on a loaded 2-core machine (a Streamiz start and 2,000 records).</summary>
    [Fact]
    public async Task Streamiz_with_rocksdb_windows_verifies_its_window_sums_and_prints_the_same_last_line()
    {
        var lastLine = await RunBenchAsync("--engine", "streamiz", "--store", "rocksdb", "--records", "2000", "--keys", "200");

        AssertLastLine("streamiz-rocksdb", lastLine);
    }

    private static void AssertLastLine(string engine, string lastLine)
    {
        var match = LastLine().Match(lastLine);
        Assert.True(match.Success, lastLine);
        Assert.Equal(engine, match.Groups["engine"].Value);
        Assert.True(double.Parse(match.Groups["rate"].Value, CultureInfo.InvariantCulture) > 0, lastLine);
        Assert.True(double.Parse(match.Groups["cpu"].Value, CultureInfo.InvariantCulture) > 0, lastLine);
        Assert.True(int.Parse(match.Groups["verified"].Value, CultureInfo.InvariantCulture) > 0, lastLine);
    }

    private static async Task<string> RunBenchAsync(params string[] options) =>
        (await BuiltCli.RunAsync(["bench", "runtime", .. options]))[^1];

    [GeneratedRegex(@"^(?<engine>[a-z-]+) (?<rate>\d+) rec/s, passthrough \d+ rec/s, ratio [\d.]+, cpu (?<cpu>[\d.]+) us/record, (?<verified>\d+) window sums verified$")]
    private static partial Regex LastLine();
}
