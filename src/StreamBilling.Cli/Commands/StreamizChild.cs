using System.Diagnostics;

namespace StreamBilling.Cli.Commands;

/// <summary>
/// Runs <c>bench/StreamBilling.Bench.Streamiz</c> (the bench-only Streamiz engine) as a child process, echoing its
/// progress and returning its stdout lines; the CLI itself does not reference Streamiz.
/// </summary>
internal static class StreamizChild
{
    private const string DllName = "StreamBilling.Bench.Streamiz.dll";

    /// <summary>
    /// <paramref name="given"/> when set, else <c>bench/StreamBilling.Bench.Streamiz/bin/&lt;configuration&gt;/net10.0/</c>
    /// of the repository this CLI was built in (same configuration first).
    /// </summary>
    public static string FindDll(string? given)
    {
        if (!string.IsNullOrWhiteSpace(given))
        {
            return File.Exists(given) ? Path.GetFullPath(given) : throw new FileNotFoundException($"{given} not found.");
        }

        var output = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));
        var configuration = output.Parent?.Name ?? "Debug";
        for (var dir = output; dir is not null; dir = dir.Parent)
        {
            var bin = Path.Combine(dir.FullName, "bench", "StreamBilling.Bench.Streamiz", "bin");
            if (new[] { configuration, "Release", "Debug" }.Select(c => Path.Combine(bin, c, "net10.0", DllName)).FirstOrDefault(File.Exists) is { } found)
            {
                return found;
            }
        }

        throw new FileNotFoundException($"{DllName} not found: build it (dotnet build bench/StreamBilling.Bench.Streamiz) or pass --streamiz-dll PATH.");
    }

    /// <summary>Runs the child to its end; lines starting with two spaces (progress) are echoed. Throws on a non-zero exit.</summary>
    public static async Task<IReadOnlyList<string>> RunAsync(string dll, string workload, IReadOnlyDictionary<string, string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add(workload);
        foreach (var (name, value) in arguments)
        {
            start.ArgumentList.Add($"--{name}");
            start.ArgumentList.Add(value);
        }

        using var process = new Process { StartInfo = start };
        var lines = new List<string>();
        var errors = new List<string>();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (lines)
            {
                lines.Add(e.Data);
            }

            if (e.Data.StartsWith("  ", StringComparison.Ordinal))
            {
                Console.WriteLine(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (errors)
                {
                    errors.Add(e.Data);
                }
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"The Streamiz child exited with {process.ExitCode}: {string.Join(Environment.NewLine, errors.TakeLast(20).Concat(lines.TakeLast(20)))}");
        }

        return lines;
    }
}
