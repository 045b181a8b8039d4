using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using StreamBilling.Api.Access;
using StreamBilling.Storage;
using StreamBilling.Storage.ApiKeys;

namespace StreamBilling.Api.Tests;

/// <summary>
/// The usage API as the host maps it, in a TestServer over its own in-memory DuckDB store and key file; events are
/// recorded. <see cref="Client"/> calls as an operator.
/// </summary>
internal sealed class ApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _directory;
    private readonly bool _kestrel;

    private ApiServer(WebApplication app, string directory, bool kestrel)
    {
        _app = app;
        _directory = directory;
        _kestrel = kestrel;
        Keys = app.Services.GetRequiredService<ApiKeyFile>();
        OperatorKey = Keys.Create(ApiKeyRole.Operator, null, "test operator").Key;
        Client = ClientWith(("Authorization", "Bearer " + OperatorKey));
    }

    public static DateTimeOffset Now { get; } = new(2024, 8, 1, 10, 5, 0, TimeSpan.Zero);

    /// <summary>A client that sends the operator key with every request.</summary>
    public HttpClient Client { get; }

    public ApiKeyFile Keys { get; }

    public string OperatorKey { get; }

    public FakeTimeProvider Clock => (FakeTimeProvider)_app.Services.GetRequiredService<TimeProvider>();

    public IUsageStore Store => _app.Services.GetRequiredService<IUsageStore>();

    public RecordingCdnStatusPublisher Published => (RecordingCdnStatusPublisher)_app.Services.GetRequiredService<ICdnStatusPublisher>();

    /// <summary>Starts the API in a TestServer, or with <paramref name="kestrel"/> on real Kestrel (a loopback port) for what only a server does: its limits.</summary>
    public static async Task<ApiServer> StartAsync(ApiAccessMode mode = ApiAccessMode.ApiKeys, bool kestrel = false)
    {
        var directory = Directory.CreateTempSubdirectory("streambilling-api-").FullName;
        var builder = WebApplication.CreateSlimBuilder();
        if (kestrel)
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
        }
        else
        {
            builder.WebHost.UseTestServer();
        }

        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:DuckDbPath"] = ":memory:",
            ["Api:Access:Mode"] = mode.ToString(),
            ["Api:Access:KeyFile"] = Path.Combine(directory, "api-keys.json"),
        });

        // Registered before AddUsageApi, which keeps them (TryAdd): no Kafka here.
        builder.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now));
        builder.Services.AddSingleton<ICdnStatusPublisher, RecordingCdnStatusPublisher>();
        builder.AddUsageApi();
        var app = builder.Build();
        app.UseProblemResponses();
        app.MapUsageApi();
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new ApiServer(app, directory, kestrel);
    }

    /// <summary>A client that sends these headers (none: an anonymous caller).</summary>
    public HttpClient ClientWith(params (string Name, string Value)[] headers)
    {
        var client = _kestrel ? new HttpClient { BaseAddress = new Uri(_app.Urls.First()) } : _app.GetTestClient();
        foreach (var (name, value) in headers)
        {
            if (name == "Authorization")
            {
                client.DefaultRequestHeaders.Authorization = AuthenticationHeaderValue.Parse(value);
            }
            else
            {
                client.DefaultRequestHeaders.Add(name, value);
            }
        }

        return client;
    }

    /// <summary>A client holding a new customer key of <paramref name="accountId"/>.</summary>
    public HttpClient CustomerClient(string accountId) =>
        ClientWith(("Authorization", "Bearer " + Keys.Create(ApiKeyRole.Customer, accountId, "test " + accountId).Key));

    /// <summary>The CDN registry row of <paramref name="customerId"/>'s one distribution, <c>dist-CUSTID</c>.</summary>
    public static CdnDistribution Distribution(string customerId) =>
        new(customerId, "bucket-" + customerId, "dist-" + customerId, $"dist-{customerId}.cloudfront.net".ToLowerInvariant());

    /// <summary>Disables <paramref name="customerId"/>'s distribution as a cap decision would.</summary>
    public async Task DisableAsync(string customerId, string causeId = "decision-1") =>
        await Store.ApplyAsync(
            new CdnStatusUpdate(customerId, "dist-" + customerId, DistributionStatus.Disabled, causeId, "cap 100 GB/15m exceeded", Now.AddMinutes(-5)) { Distributions = [Distribution(customerId)] },
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
        Directory.Delete(_directory, recursive: true);
    }

    private static async Task<JsonElement> BodyAsync(HttpResponseMessage response) =>
        response.Content.Headers.ContentLength == 0
            ? default
            : await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
}
