using Microsoft.Extensions.DependencyInjection;
using StreamBilling.Contracts;
using StreamBilling.Pipeline.Hosting;
using StreamBilling.Streams.Kafka;

namespace StreamBilling.IntegrationTests.Operations;

/// <summary>
/// <c>/metrics</c> of the real host after it billed a day of usage: the billing metrics are there, with the tags the
/// dashboards group by and values at least what this test published (other tests in the process add to the same
/// process-wide meters, so counts are lower bounds), and no customer id in any tag.
/// </summary>
[Collection(OperatedHostTests.Name)]
public sealed class MetricsEndpointTests(OperatedHost host)
{
    [Fact]
    public async Task Metrics_UsageEventsPerService_AtLeastWhatWasPublished()
    {
        var scrape = await host.ScrapeAsync(TestContext.Current.CancellationToken);

        foreach (var (topic, count) in host.Published.Where(p => p.Key.StartsWith("usage.", StringComparison.Ordinal)))
        {
            var service = topic.Split('.')[1];
            Assert.True(
                scrape.Sum("streambilling_billing_usage_events_total", $"service=\"{service}\"", $"topic=\"{topic}\"") >= count,
                $"usage events of {topic}: {count} published, the metric says {scrape.Sum("streambilling_billing_usage_events_total", $"topic=\"{topic}\"")}");
        }
    }

    [Fact]
    public async Task Metrics_BillingOutputs_HaveSamplesWithTheirTags()
    {
        var scrape = await host.ScrapeAsync(TestContext.Current.CancellationToken);

        Assert.True(scrape.Sum("streambilling_billing_priced_lines_total", "service=\"Ec2\"", "currency=\"USD\"") > 0);
        Assert.True(scrape.Sum("streambilling_billing_priced_amount_total", "service=\"Ec2\"", "currency=\"USD\"") > 0);
        Assert.True(scrape.Sum("streambilling_billing_invoices_published_total", "status=\"month_to_date\"") > 0);
        Assert.True(scrape.Sum("streambilling_billing_cdn_cap_decisions_total", "window=\"15m\"") >= 1);
        Assert.True(scrape.Sum("streambilling_billing_cdn_cap_decisions_total", "window=\"3h\"") >= 1);
        Assert.True(scrape.Sum("streambilling_billing_cdn_traffic_gigabytes_total") > 0);
        Assert.True(scrape.Has("streambilling_billing_cdn_cap_window_traffic_gigabytes_bucket", "window=\"3h\""));
        Assert.True(scrape.Sum("streambilling_streams_late_records_total", "reason=\"window-closed\"") >= 1);
        Assert.True(scrape.Sum("streambilling_streams_deserialization_errors_total", $"topic=\"{Topics.CdnTraffic}\"", "policy=\"dead_letter\"") >= 1);
        Assert.True(scrape.Sum("streambilling_kafka_dead_lettered_total", $"topic=\"{Topics.HourlyRollups}\"", "reason=\"deserialization\"") >= 1);
        Assert.True(scrape.Has("http_server_request_duration_seconds_bucket"));
    }

    [Fact]
    public async Task Metrics_ConsumerLag_OneSeriesPerApplication_ZeroOnceCaughtUp()
    {
        var scrape = await host.ScrapeAsync(TestContext.Current.CancellationToken);

        var registry = host.Services.GetRequiredService<KafkaStreamsRegistry>();
        Assert.Equal(PipelineApplications.All.Order(StringComparer.Ordinal), registry.Expected);
        foreach (var streams in registry.Applications.Values)
        {
            Assert.True(scrape.Has("streambilling_streams_consumer_lag", $"application=\"{streams.ApplicationId}\""), $"no lag series for {streams.ApplicationId}:{Environment.NewLine}{scrape.Text}");
        }

        Assert.All(scrape.Samples.Where(s => s.Name == "streambilling_streams_consumer_lag"), s => Assert.Equal(0, s.Value));
    }

    [Fact]
    public async Task Metrics_NoTagNamesACustomer()
    {
        var scrape = await host.ScrapeAsync(TestContext.Current.CancellationToken);

        var customers = new Simulation.UsageSimulator(OperatedHost.Simulation).Customers.Select(c => c.CustomerId).ToList();
        Assert.All(scrape.Samples.Where(s => s.Name.StartsWith("streambilling_", StringComparison.Ordinal)), s =>
            Assert.DoesNotContain(customers, c => s.Labels.Contains(c, StringComparison.Ordinal)));
    }
}
