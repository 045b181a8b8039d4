using System.Diagnostics;

namespace StreamBilling.Cli.Tests;

/// <summary>Runs the built <c>streambilling</c> as a process (as a user does) and returns its stdout lines; fails on a non-zero exit.</summary>
internal static class BuiltCli
{
    public static async Task<string[]> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in args.Prepend(Path.Combine(AppContext.BaseDirectory, "streambilling.dll")))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        var lines = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {await error}{Environment.NewLine}{string.Join(Environment.NewLine, lines.TakeLast(30))}");
        return lines;
    }
}
