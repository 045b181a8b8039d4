using System.Text.RegularExpressions;

namespace StreamBilling.Cli.Tests;

/// <summary>
/// <c>streambilling bench caps</c> as the user runs it: a small simulation through CdnCapWindows and through the
/// Streamiz DSL caps (child process) gives the same decisions, and some customers are capped at all.
/// About 20–40 s on a loaded 2-core machine (a Streamiz start and 3,600 samples).
/// </summary>
public sealed partial class CapsBenchTests
{
    [Fact]
    public async Task Our_caps_and_the_streamiz_caps_decide_the_same_crossings()
    {
        var lines = await BuiltCli.RunAsync("bench", "caps", "--customers", "10", "--hours", "6", "--burst-ratio", "0.6");

        var match = LastLine().Match(lines[^1]);
        Assert.True(match.Success, lines[^1]);
        Assert.Equal(match.Groups["ours"].Value, match.Groups["theirs"].Value);
        Assert.True(int.Parse(match.Groups["ours"].Value, System.Globalization.CultureInfo.InvariantCulture) > 0, lines[^1]);
    }

    [GeneratedRegex(@"^caps: runtime \d+ samples/s, streamiz-rocksdb \d+ samples/s, ratio [\d.]+, cpu [\d.]+ vs [\d.]+ us/sample, decisions (?<ours>\d+) vs (?<theirs>\d+), differences 0$")]
    private static partial Regex LastLine();
}
