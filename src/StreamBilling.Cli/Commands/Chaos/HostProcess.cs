using System.Diagnostics;
using System.Globalization;

namespace StreamBilling.Cli.Commands.Chaos;

/// <summary>
/// <c>StreamBilling.Host</c> as a child process with the settings it is given (broker, store, instance id); its console
/// output is appended to a log file. Killed with SIGKILL (<see cref="KillAsync"/>) or stopped with SIGTERM (<see cref="StopAsync"/>).
/// </summary>
internal sealed class HostProcess : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Lock _logGate = new();
    private readonly TaskCompletionSource<Uri> _apiAddress = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _logClosed;

    private HostProcess(Process process, StreamWriter log)
    {
        _process = process;
        _log = log;
    }

    /// <summary>Process id.</summary>
    public int Id => _process.Id;

    /// <summary>Whether the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Exit code once <see cref="HasExited"/>.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>
    /// The host's build output: <paramref name="given"/> when set, else <c>src/StreamBilling.Host/bin/&lt;configuration&gt;/net10.0/StreamBilling.Host.dll</c>
    /// of the repository this CLI was built in (same configuration first). Null when there is none.
    /// </summary>
    public static string? FindHostDll(string? given)
    {
        if (!string.IsNullOrWhiteSpace(given))
        {
            return File.Exists(given) ? Path.GetFullPath(given) : null;
        }

        var output = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));
        var configuration = output.Parent?.Name ?? "Debug";
        for (var dir = output; dir is not null; dir = dir.Parent)
        {
            var bin = Path.Combine(dir.FullName, "src", "StreamBilling.Host", "bin");
            var candidates = new[] { configuration, "Release", "Debug" }.Select(c => Path.Combine(bin, c, "net10.0", "StreamBilling.Host.dll"));
            if (candidates.FirstOrDefault(File.Exists) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>
    /// Starts the host in <paramref name="workDirectory"/> with <paramref name="settings"/> (configuration keys, e.g.
    /// <c>Kafka:BootstrapServers</c>, passed as environment variables), its simulator off, running until stopped, its
    /// API on a free loopback port (<see cref="ApiAddress"/>). Temporary files go under <paramref name="workDirectory"/>.
    /// </summary>
    public static HostProcess Start(string hostDll, string workDirectory, IReadOnlyDictionary<string, string> settings, string logPath)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { hostDll, "--urls", "http://127.0.0.1:0", "--duration", "0" })
        {
            start.ArgumentList.Add(argument);
        }

        var temp = Path.Combine(workDirectory, "tmp");
        Directory.CreateDirectory(temp);
        start.Environment["Simulator__Enabled"] = "false";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        start.Environment["TMPDIR"] = temp;
        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var process = new Process { StartInfo = start };
        var host = new HostProcess(process, log);
        process.OutputDataReceived += (_, e) => host.Append(e.Data);
        process.ErrorDataReceived += (_, e) => host.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        host.Append(string.Create(CultureInfo.InvariantCulture, $"--- host process {process.Id} started {DateTimeOffset.UtcNow:O}"));
        return host;
    }

    /// <summary>The API's address, once Kestrel has logged it.</summary>
    public Task<Uri> ApiAddress => _apiAddress.Task;

    /// <summary>SIGKILL: no shutdown code runs, nothing is flushed or committed.</summary>
    public async Task KillAsync(CancellationToken cancellationToken)
    {
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync(cancellationToken);
        Append(string.Create(CultureInfo.InvariantCulture, $"--- host process {_process.Id} killed (SIGKILL) {DateTimeOffset.UtcNow:O}"));
    }

    /// <summary>SIGTERM, then waits for the graceful stop; SIGKILL after <paramref name="timeout"/>. Returns the exit code (-1 when it had to be killed).</summary>
    public async Task<int> StopAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!_process.HasExited)
        {
            using var signal = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
            await signal.WaitForExitAsync(cancellationToken);
        }

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(timeout);
        try
        {
            await _process.WaitForExitAsync(wait.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await KillAsync(cancellationToken);
            return -1;
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        _process.Dispose();
        lock (_logGate)
        {
            _logClosed = true;
            _log.Dispose();
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        // ASP.NET Core's startup line: "Now listening on: http://127.0.0.1:41234".
        const string Listening = "Now listening on: ";
        if (line.IndexOf(Listening, StringComparison.Ordinal) is var at && at >= 0 && Uri.TryCreate(line[(at + Listening.Length)..].Trim(), UriKind.Absolute, out var address))
        {
            _apiAddress.TrySetResult(address);
        }

        lock (_logGate)
        {
            // Output of a killed process can still drain after the log was closed.
            if (!_logClosed)
            {
                _log.WriteLine(line);
            }
        }
    }
}
