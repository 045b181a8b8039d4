using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace StreamBilling.IntegrationTests.Operations;

/// <summary>
/// The real host (<c>Program</c>, every line of it) in a TestServer, on its own embedded cluster, with an in-memory store,
/// temporary state and key file, a unique instance id, the simulator and the demo's time limit off, in Production; <paramref name="settings"/> add to or
/// override these. A failed component does not stop the host, so a test can watch what its probes say about it.
/// </summary>
internal sealed class HostFactory(IReadOnlyDictionary<string, string?>? settings = null) : WebApplicationFactory<Program>
{
    private readonly string _directory = Directory.CreateTempSubdirectory("streambilling-ops-").FullName;

    /// <inheritdoc />
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var all = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Storage:DuckDbPath"] = ":memory:",
            ["Streams:StateDirectory"] = string.Empty,
            ["Streams:InstanceId"] = "ops-" + Guid.NewGuid().ToString("N")[..8],
            ["Simulator:Enabled"] = "false",
            ["Demo:Duration"] = "00:00:00",
            ["Api:Access:KeyFile"] = Path.Combine(_directory, "api-keys.json"),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        foreach (var (key, value) in all)
        {
            builder.UseSetting(key, value);
        }

        // As deployed: no developer exception page.
        builder.UseEnvironment(Environments.Production);

        builder.ConfigureServices(services => services.Configure<HostOptions>(o => o.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.Ignore));
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
