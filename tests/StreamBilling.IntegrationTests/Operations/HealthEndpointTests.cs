using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using StreamBilling.IntegrationTests.Streams;
using StreamBilling.Pipeline.Hosting;
using StreamBilling.Streams.Kafka;

namespace StreamBilling.IntegrationTests.Operations;

/// <summary>
/// <c>/health/live</c> and <c>/health/ready</c> of the real host on its embedded cluster: ready goes from 503 to 200 once
/// every stream application processes, and back to 503 (naming the application) when one fails.
/// </summary>
public sealed class HealthEndpointTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Ready_NotReadyUntilEveryApplicationProcesses_ThenReady_ThenNotReadyWhenOneFails()
    {
        var ct = TestContext.Current.CancellationToken;
        // Kafka's own first-join delay (3 s) keeps the applications joining while the first probes come in.
        await using var host = new HostFactory(new Dictionary<string, string?> { ["Kafka:EmbeddedGroupInitialRebalanceDelay"] = "00:00:03" });
        var crashes = new CrashSwitch();
        await using var factory = host.WithWebHostBuilder(builder => builder.ConfigureServices(services => services.AddSingleton<ICrashPoints>(crashes)));
        using var client = factory.CreateClient();

        // Live at once; ready only when every application joined its group and restored its stores.
        var (status, first) = await GetAsync(client, "/health/ready", ct);
        using var live = await client.GetAsync(new Uri("/health/live", UriKind.Relative), ct);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        var statuses = new List<HttpStatusCode> { status };
        var body = first;
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            deadline.CancelAfter(Timeout);
            while (status != HttpStatusCode.OK)
            {
                await Task.Delay(50, deadline.Token);
                (status, body) = await GetAsync(client, "/health/ready", ct);
                statuses.Add(status);
            }
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, statuses[0]);
        Assert.Equal("Unhealthy", first.GetProperty("status").GetString());
        Assert.Equal(["stream-applications", "store", "consumer-loops"], body.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        var applications = Check(body, "stream-applications").GetProperty("data");
        Assert.Equal(PipelineApplications.All.Order(StringComparer.Ordinal), applications.EnumerateObject().Select(p => p.Name));
        Assert.All(applications.EnumerateObject(), p => Assert.Equal("processing", p.Value.GetString()));
        Assert.Equal(["DailyUsage sink", "DailyUsageEstimates sink", "Invoice sink", "Rollup sink", "cdn-controller"], Check(body, "consumer-loops").GetProperty("data").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));

        // An application dies (a crash inside its next commit, as a killed process would).
        var pricing = factory.Services.GetRequiredService<KafkaStreamsRegistry>().Applications[PipelineApplications.Pricing];
        crashes.Arm(CrashPoint.AfterChangelogs, pricing.ApplicationId);
        await Polling.UntilAsync(() => pricing.State == KafkaStreamsState.Failed, "the pricing application failed", Timeout);

        (status, body) = await GetAsync(client, "/health/ready", ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.StartsWith("failed:", Check(body, "stream-applications").GetProperty("data").GetProperty(PipelineApplications.Pricing).GetString(), StringComparison.Ordinal);
        Assert.Equal("Healthy", Check(body, "store").GetProperty("status").GetString());
        (status, _) = await GetAsync(client, "/health", ct);
        Assert.Equal(HttpStatusCode.OK, status);
    }

    private static JsonElement Check(JsonElement body, string name) =>
        body.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(HttpClient client, string path, CancellationToken ct)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), ct);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(ct), cancellationToken: ct);
        return (response.StatusCode, json.RootElement.Clone());
    }
}
