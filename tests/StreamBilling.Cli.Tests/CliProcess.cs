using System.Diagnostics;

namespace StreamBilling.Cli.Tests;

/// <summary>Runs <c>streambilling</c> as a process of its own, as an operator does.</summary>
internal static class CliProcess
{
    /// <summary>
    /// <c>streambilling ARGS</c> as a process of its own in <paramref name="folder"/>, as an operator runs it beside the
    /// host; its exit code and what it printed (standard output, then standard error), and each stream alone.
    /// </summary>
    public static async Task<(int ExitCode, string Output, string StandardOutput, string StandardError)> RunAsync(string folder, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "streambilling.dll"));
        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await output + await error, await output, await error);
    }
}
