using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace StreamBilling.Portal.Tests;

/// <summary>
/// The demo as a user starts it (<c>dotnet StreamBilling.Host.dll</c>: embedded cluster, simulator, billing pipeline,
/// usage API, portal) in a working directory of its own, on a free loopback port; the portal URL and the two keys are
/// read from what the demo prints.
/// </summary>
internal sealed partial class DemoHost : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    private readonly Process _process;
    private readonly DirectoryInfo _directory;
    private readonly StringBuilder _output = new();
    private readonly HttpClient _http = new();

    private DemoHost(Process process, DirectoryInfo directory)
    {
        _process = process;
        _directory = directory;
    }

    /// <summary>The portal's address as the demo printed it, e.g. <c>http://127.0.0.1:41234/portal/</c>.</summary>
    public Uri PortalUrl { get; private set; } = null!;

    /// <summary>The demo's customer key and its account.</summary>
    public (string Account, string Key) Customer { get; private set; }

    /// <summary>The demo's operator key.</summary>
    public string OperatorKey { get; private set; } = null!;

    /// <summary>Starts the demo (3 simulated days of 15 customers, published at 20,000 events/s) and waits until it printed its portal URL and keys.</summary>
    public static async Task<DemoHost> StartAsync(CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("sb-portal-");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory.FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { FindHostDll(), "--urls", "http://127.0.0.1:0", "--duration", "0", "--Simulator:EventsPerSecond", "20000" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start };
        var host = new DemoHost(process, directory);
        process.OutputDataReceived += (_, e) => host.Append(e.Data);
        process.ErrorDataReceived += (_, e) => host.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var portal = await host.WaitForAsync(PortalLine(), StartTimeout, cancellationToken);
        host.PortalUrl = new Uri(portal.Groups["url"].Value);
        var customer = CustomerKeyLine().Match(host.Output);
        host.Customer = (customer.Groups["account"].Value, customer.Groups["key"].Value);
        host.OperatorKey = OperatorKeyLine().Match(host.Output).Groups["key"].Value;
        Assert.True(customer.Success && host.OperatorKey.Length > 0, "The demo printed no keys:\n" + host.Output);
        return host;
    }

    /// <summary>Everything the host wrote so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// Waits until the simulator published everything, the flow report counts the same records twice in a row, and
    /// the customer's invoices answer the same twice in a row: the figures on screen and from the API then agree.
    /// </summary>
    public async Task WaitUntilSettledAsync(CancellationToken cancellationToken)
    {
        await WaitForAsync(PublishedLine(), StartTimeout, cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(StartTimeout);
        string? previous = null;
        while (true)
        {
            var counts = FlowLine().Matches(Output).Select(m => m.Groups["read"].Value).ToList();
            var invoices = await GetTextAsync(OperatorKey, "/v1/customers/" + Customer.Account + "/invoices", deadline.Token);
            var state = counts.Count >= 2 && counts[^1] == counts[^2] ? counts[^1] + invoices : null;
            if (state is not null && state == previous)
            {
                return;
            }

            previous = state;
            await Task.Delay(TimeSpan.FromSeconds(2), deadline.Token);
        }
    }

    /// <summary>GET <paramref name="path"/> with <paramref name="key"/>: status and parsed body (null when empty).</summary>
    public async Task<(int Status, JsonElement Body)> GetAsync(string key, string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(key, path, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return ((int)response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM: the host stops its components in order and exits 0.
            using (var signal = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await signal.WaitForExitAsync();
            }

            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
        _http.Dispose();
        _directory.Delete(recursive: true);
    }

    private async Task<string> GetTextAsync(string key, string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(key, path, cancellationToken);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    private async Task<HttpResponseMessage> SendAsync(string key, string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(PortalUrl, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await _http.SendAsync(request, cancellationToken);
    }

    private async Task<Match> WaitForAsync(Regex pattern, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            if (pattern.Match(Output) is { Success: true } match)
            {
                return match;
            }

            if (_process.HasExited)
            {
                Assert.Fail($"The host exited ({_process.ExitCode}) before writing /{pattern}/:\n{Output}");
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                Assert.Fail($"The host did not write /{pattern}/ within {timeout}:\n{Output}");
            }
        }
    }

    /// <summary><c>src/StreamBilling.Host/bin/&lt;configuration&gt;/net10.0/StreamBilling.Host.dll</c> of this repository, built by the project reference.</summary>
    private static string FindHostDll()
    {
        var output = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));
        var configuration = output.Parent?.Name ?? "Debug";
        for (var dir = output; dir is not null; dir = dir.Parent)
        {
            var dll = Path.Combine(dir.FullName, "src", "StreamBilling.Host", "bin", configuration, "net10.0", "StreamBilling.Host.dll");
            if (File.Exists(dll))
            {
                return dll;
            }
        }

        throw new InvalidOperationException($"StreamBilling.Host.dll ({configuration}) not found above {output.FullName}: build src/StreamBilling.Host.");
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    [GeneratedRegex(@"Demo: portal at (?<url>\S+)")]
    private static partial Regex PortalLine();

    [GeneratedRegex(@"customer (?<account>\w+): (?<key>sbk_\S+)")]
    private static partial Regex CustomerKeyLine();

    [GeneratedRegex(@"operator: (?<key>sbk_\S+)")]
    private static partial Regex OperatorKeyLine();

    [GeneratedRegex("all simulated usage published")]
    private static partial Regex PublishedLine();

    [GeneratedRegex(@"^flow \S+\s+(?<read>[\d,]+) records read", RegexOptions.Multiline)]
    private static partial Regex FlowLine();
}
