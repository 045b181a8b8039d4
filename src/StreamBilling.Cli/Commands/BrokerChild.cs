using System.Diagnostics;
using System.Globalization;

namespace StreamBilling.Cli.Commands;

/// <summary>
/// <c>streambilling broker</c> started by a bench as its own process, as a deployment has its cluster outside the pipeline
/// process: the bench's CPU and memory are then the pipeline's (and its publisher's), and the broker's are read apart.
/// </summary>
internal sealed class BrokerChild : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly string _folder;
    private readonly List<string> _output = [];

    private BrokerChild(Process process, string folder)
    {
        _process = process;
        _folder = folder;
    }

    /// <summary>The broker's bootstrap address (the first line it prints).</summary>
    public string BootstrapServers { get; private set; } = string.Empty;

    /// <summary>The broker's process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>User + system CPU of the broker process so far (zero where <c>/proc</c> is missing).</summary>
    public TimeSpan Cpu
    {
        get
        {
            var path = $"/proc/{_process.Id.ToString(CultureInfo.InvariantCulture)}/stat";
            return File.Exists(path) ? ThreadCpu.CpuOf(File.ReadAllText(path)) : TimeSpan.Zero;
        }
    }

    /// <summary>The broker process's peak resident memory so far.</summary>
    public long PeakWorkingSet
    {
        get
        {
            _process.Refresh();
            return _process.PeakWorkingSet64;
        }
    }

    /// <summary>Starts <paramref name="brokers"/> mock brokers in a child process of this CLI and waits for their address.</summary>
    public static async Task<BrokerChild> StartAsync(int brokers, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"streambilling-bench-broker-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        // Its standard input is a pipe from this process: if this process dies, the pipe closes and the broker stops.
        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = folder };
        foreach (var argument in new[] { typeof(BrokerChild).Assembly.Location, "broker", "--brokers", brokers.ToString(CultureInfo.InvariantCulture), "--address-file", Path.Combine(folder, "broker.address"), "--until-stdin-closes" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start };
        var address = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var child = new BrokerChild(process, folder);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                address.TrySetResult(e.Data);
                child.Keep(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) => child.Keep(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(StartTimeout);
            var exited = process.WaitForExitAsync(timeout.Token);
            if (await Task.WhenAny(address.Task, exited).ConfigureAwait(false) != address.Task)
            {
                throw new InvalidOperationException($"streambilling broker did not start: {child.Output()}");
            }

            child.BootstrapServers = await address.Task.ConfigureAwait(false);
            return child;
        }
        catch
        {
            await child.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Stops the broker (SIGKILL: its logs are memory only, nothing to flush) and removes its folder.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }

        _process.Dispose();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return string.Join(Environment.NewLine, _output.TakeLast(20));
        }
    }
}
