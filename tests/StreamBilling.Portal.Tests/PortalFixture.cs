using System.Diagnostics;
using Microsoft.Playwright;

[assembly: AssemblyFixture(typeof(StreamBilling.Portal.Tests.PortalFixture))]

namespace StreamBilling.Portal.Tests;

/// <summary>
/// One demo host with settled data and one headless Chromium (Debian's, at <see cref="ChromiumPath"/>, installed by
/// <c>infra/browser/install</c>) with a fresh profile, shared by the portal's browser tests. Each test opens its own
/// page, so each has its own sessionStorage (the signed-in key). One for the whole test assembly.
/// </summary>
public sealed class PortalFixture : IAsyncLifetime
{
    /// <summary>The browser the tests drive; Playwright is never allowed to download one.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    // Without the background-networking flags Chromium's own connections (updates, sync, QUIC probes) are refused by a
    // closed network, which slows or breaks the start.
    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private readonly DirectoryInfo _profile = Directory.CreateTempSubdirectory("sb-chromium-");
    private IPlaywright? _playwright;
    private IBrowserContext? _browser;
    private DemoHost? _host;

    internal DemoHost Host => _host ?? throw new InvalidOperationException("Not started.");

    /// <summary>Where screenshots go: <c>test-results/</c> in the test's build output.</summary>
    public static string ResultsDirectory { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "test-results")).FullName;

    /// <summary>How long the host took to settle and the browser to start (written to <c>test-results/timings.txt</c>).</summary>
    public TimeSpan HostReady { get; private set; }

    public TimeSpan BrowserReady { get; private set; }

    public async ValueTask InitializeAsync()
    {
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: run infra/browser/install (as root).");
        var clock = Stopwatch.StartNew();
        _host = await DemoHost.StartAsync(CancellationToken.None);
        await _host.WaitUntilSettledAsync(CancellationToken.None);
        HostReady = clock.Elapsed;

        clock.Restart();
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        _playwright = await Playwright.CreateAsync();
        // A persistent context is how Playwright takes a user data directory (it refuses --user-data-dir in Args).
        _browser = await _playwright.Chromium.LaunchPersistentContextAsync(_profile.FullName, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            ChromiumSandbox = false,
            Args = ChromiumArgs,
            ViewportSize = new ViewportSize { Width = 1400, Height = 1000 },
        });
        BrowserReady = clock.Elapsed;
        await File.WriteAllTextAsync(
            Path.Combine(ResultsDirectory, "timings.txt"),
            $"demo host started and settled: {HostReady:mm\\:ss\\.f}\nChromium started: {BrowserReady:mm\\:ss\\.f}\n");
    }

    /// <summary>A new tab on the portal's sign-in page.</summary>
    public async Task<IPage> OpenPortalAsync(string query = "")
    {
        var page = await _browser!.NewPageAsync();
        await page.GotoAsync(new Uri(Host.PortalUrl, query).ToString());
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        _profile.Delete(recursive: true);
    }
}
