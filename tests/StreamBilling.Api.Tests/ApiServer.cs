using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using StreamBilling.Storage;

namespace StreamBilling.Api.Tests;

/// <summary>The usage API as the host maps it, in a TestServer over its own in-memory DuckDB store; events are recorded.</summary>
internal sealed class ApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ApiServer(WebApplication app, HttpClient client)
    {
        _app = app;
        Client = client;
    }

    public static DateTimeOffset Now { get; } = new(2024, 8, 1, 10, 5, 0, TimeSpan.Zero);

    public HttpClient Client { get; }

    public FakeTimeProvider Clock => (FakeTimeProvider)_app.Services.GetRequiredService<TimeProvider>();

    public IUsageStore Store => _app.Services.GetRequiredService<IUsageStore>();

    public RecordingCdnStatusPublisher Published => (RecordingCdnStatusPublisher)_app.Services.GetRequiredService<ICdnStatusPublisher>();

    /// <summary>Starts the API in a TestServer, or with <paramref name="kestrel"/> on real Kestrel (a loopback port) for what only a server does: its limits.</summary>
    public static async Task<ApiServer> StartAsync(bool kestrel = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        if (kestrel)
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
        }
        else
        {
            builder.WebHost.UseTestServer();
        }

        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:DuckDbPath"] = ":memory:" });

        // Registered before AddUsageApi, which keeps them (TryAdd): no Kafka here.
        builder.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now));
        builder.Services.AddSingleton<ICdnStatusPublisher, RecordingCdnStatusPublisher>();
        builder.AddUsageApi();
        var app = builder.Build();
        app.UseProblemResponses();
        app.MapUsageApi();
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new ApiServer(app, kestrel ? new HttpClient { BaseAddress = new Uri(app.Urls.First()) } : app.GetTestClient());
    }

    /// <summary>Disables <paramref name="customerId"/>'s distribution as a cap decision would.</summary>
    public async Task DisableAsync(string customerId, string causeId = "decision-1") =>
        await Store.ApplyAsync(
            new CdnStatusUpdate(customerId, "dist-" + customerId, DistributionStatus.Disabled, causeId, "cap 100 GB/15m exceeded", Now.AddMinutes(-5)),
            TestContext.Current.CancellationToken);

    public async Task<(HttpResponseMessage Response, JsonElement Body)> GetAsync(string path)
    {
        var response = await Client.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
        return (response, await BodyAsync(response));
    }

    public async Task<(HttpResponseMessage Response, string Body)> SendAsync(HttpMethod method, string path, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content };
        var response = await Client.SendAsync(request, TestContext.Current.CancellationToken);
        return (response, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    public async Task<(HttpResponseMessage Response, JsonElement Body)> PostAsync(string path, HttpContent? content = null)
    {
        var response = await Client.PostAsync(new Uri(path, UriKind.Relative), content, TestContext.Current.CancellationToken);
        return (response, await BodyAsync(response));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync(TestContext.Current.CancellationToken);
        await _app.DisposeAsync();
    }

    private static async Task<JsonElement> BodyAsync(HttpResponseMessage response) =>
        response.Content.Headers.ContentLength == 0
            ? default
            : await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
}
