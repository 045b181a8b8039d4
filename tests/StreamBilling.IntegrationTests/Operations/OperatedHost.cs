using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using StreamBilling.Contracts;
using StreamBilling.Events.Cdn;
using StreamBilling.Kafka;
using StreamBilling.Simulation;
using StreamBilling.Storage.ApiKeys;

namespace StreamBilling.IntegrationTests.Operations;

/// <summary>
/// The real host (<see cref="HostFactory"/>) once it is ready and has billed a day of simulated usage (every customer
/// with a CDN burst, so both caps are crossed), a CDN sample sent again a day late, one unreadable record on a usage topic (dead-lettered by a stream
/// application) and one on a sink's topic (dead-lettered by the sink): every billing metric has samples. Shared by the
/// metrics, dashboard and fuzz tests, which only read from it.
/// </summary>
public sealed class OperatedHost : IAsyncLifetime
{
    /// <summary>What is published: four customers, one day, all with CDN bursts, some terminates before their launch (late).</summary>
    public static readonly SimulationOptions Simulation = new()
    {
        Seed = 23,
        Customers = 4,
        Start = new DateTimeOffset(2024, 9, 29, 0, 0, 0, TimeSpan.Zero),
        Duration = TimeSpan.FromDays(1),
        InstancesPerCustomer = 8,
        TerminateBeforeLaunchRatio = 0.2,
        CdnBurstCustomerRatio = 1,
        MediaCustomerRatio = 0.5,
        ElasticIpRatio = 0.5,
        ReservedCustomerRatio = 0.5,
        MeteredStorage = true,
    };

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private HostFactory? _factory;

    /// <summary>A client of the host's TestServer, without credentials.</summary>
    public HttpClient Client { get; private set; } = null!;

    /// <summary>The host's services.</summary>
    public IServiceProvider Services => (_factory ?? throw new InvalidOperationException("Not initialized.")).Services;

    /// <summary>Records published per topic (the poison records excluded).</summary>
    public IReadOnlyDictionary<string, int> Published { get; private set; } = new Dictionary<string, int>();

    /// <summary>A customer that has data, and its key.</summary>
    public (string CustomerId, string Key) Customer { get; private set; }

    /// <summary>An operator key.</summary>
    public string OperatorKey { get; private set; } = string.Empty;

    /// <summary>Creates the factory's TestServer client for a request builder that needs it (the fuzz test).</summary>
    public HttpClient CreateClient() => _factory!.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    /// <summary>Scrapes <c>/metrics</c>.</summary>
    public async Task<PrometheusScrape> ScrapeAsync(CancellationToken ct)
    {
        using var response = await Client.GetAsync(new Uri("/metrics", UriKind.Relative), ct);
        response.EnsureSuccessStatusCode();
        return PrometheusScrape.Parse(await response.Content.ReadAsStringAsync(ct));
    }

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        using var deadline = new CancellationTokenSource(Timeout);
        var ct = deadline.Token;
        _factory = new HostFactory();
        Client = CreateClient();
        await WaitUntilReadyAsync(ct);
        await Pipeline.SimulatedCdnRegistry.LoadAsync(Services, new UsageSimulator(Simulation).Customers, ct);

        var events = new UsageSimulator(Simulation).Generate().ToList();
        Published = events.GroupBy(e => e.Topic, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var clients = Services.GetRequiredService<KafkaClientFactory>();
        using (var publisher = clients.CreateRecordPublisher([.. Services.GetServices<BackPressureGroup>()]))
        {
            foreach (var e in events)
            {
                await publisher.PublishAsync(e.Topic, e.Key, e.Value, e.Timestamp, ct);
            }

            // A CloudWatch sample of the day's first minute, sent again under a new id once the day went by: its cap
            // windows are closed, so it goes to the late-records topic.
            var first = events.First(e => e.Value is CdnTraffic { dataSource: CdnDataSource.CloudWatch });
            var sample = (CdnTraffic)first.Value;
            var late = new CdnTraffic
            {
                eventId = "ops-late-" + sample.eventId,
                source = sample.source,
                customerId = sample.customerId,
                distributionId = sample.distributionId,
                dataSource = sample.dataSource,
                periodStart = sample.periodStart,
                periodEnd = sample.periodEnd,
                bytes = sample.bytes,
            };
            await publisher.PublishAsync(first.Topic, first.Key, late, first.Timestamp, ct);
            publisher.Flush(ct);
        }

        using (var raw = clients.CreateProducer(Serializers.ByteArray, Serializers.ByteArray, _ => { }))
        {
            foreach (var topic in new[] { Topics.CdnTraffic, Topics.HourlyRollups })
            {
                await raw.ProduceAsync(topic, new Message<byte[], byte[]> { Key = "CUST0001"u8.ToArray(), Value = [0xde, 0xad, 0xbe, 0xef] }, ct);
            }
        }

        var keys = Services.GetRequiredService<ApiKeyFile>();
        var customer = new UsageSimulator(Simulation).Customers[0].CustomerId;
        Customer = (customer, keys.Create(ApiKeyRole.Customer, customer, "ops test customer").Key);
        OperatorKey = keys.Create(ApiKeyRole.Operator, null, "ops test operator").Key;

        // Done when every family the dashboards chart has samples and the applications caught up.
        var scrape = await ScrapeAsync(ct);
        while (Missing(scrape) is { Count: > 0 } missing)
        {
            if (ct.IsCancellationRequested)
            {
                Assert.Fail($"The host did not bill the published usage within {Timeout}; still missing: {string.Join(", ", missing)}; last scrape:{Environment.NewLine}{scrape.Text}");
            }

            await Task.Delay(250, CancellationToken.None);
            scrape = await ScrapeAsync(CancellationToken.None);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
    }

    private async Task WaitUntilReadyAsync(CancellationToken ct)
    {
        while (true)
        {
            using var response = await Client.GetAsync(new Uri("/health/ready", UriKind.Relative), ct);
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            await Task.Delay(100, ct);
        }
    }

    private static List<string> Missing(PrometheusScrape scrape)
    {
        var wanted = new (string Family, string? Label)[]
        {
            ("streambilling_billing_invoices_published_total", null),
            ("streambilling_billing_cdn_cap_decisions_total", "window=\"15m\""),
            ("streambilling_billing_cdn_cap_decisions_total", "window=\"3h\""),
            ("streambilling_streams_late_records_total", null),
            ("streambilling_streams_deserialization_errors_total", null),
            // The rollup sink's own dead letter: other hosts of this test process may have counted dead letters of other topics.
            ("streambilling_kafka_dead_lettered_total", $"topic=\"{Topics.HourlyRollups}\""),
            ("http_server_request_duration_seconds_bucket", null),
        };
        var missing = wanted
            .Where(w => w.Label is null ? !scrape.Has(w.Family) : !scrape.Has(w.Family, w.Label))
            .Select(w => w.Label is null ? w.Family : $"{w.Family}{{{w.Label}}}")
            .ToList();
        if (scrape.Samples.Where(s => s.Name == "streambilling_streams_consumer_lag").Select(s => s.Value).DefaultIfEmpty(1).Any(v => v != 0))
        {
            missing.Add("streambilling_streams_consumer_lag at 0");
        }

        return missing;
    }
}
