using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StreamBilling.Contracts;
using StreamBilling.Host.FlowReport;
using StreamBilling.Host.Simulation;
using StreamBilling.Kafka;
using StreamBilling.Simulation;

namespace StreamBilling.IntegrationTests;

/// <summary>The host's demo wiring (own embedded cluster): the simulator's events all reach Kafka and the flow report counts them.</summary>
public sealed class HostFlowTests
{
    private static readonly DateTimeOffset Start = new(2024, 8, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task SimulatorAndFlowReport_EveryPublishedEventIsInKafkaAndReadByTheReport()
    {
        var ct = TestContext.Current.CancellationToken;
        var expected = new UsageSimulator(new SimulationOptions { Customers = 3, Seed = 4, Start = Start, Duration = TimeSpan.FromHours(2) }).Generate()
            .GroupBy(e => e.Topic, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal);
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Simulator:Customers"] = "3",
            ["Simulator:Seed"] = "4",
            ["Simulator:Start"] = Start.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["Simulator:SimulatedDuration"] = "02:00:00",
            ["Simulator:EventsPerSecond"] = "20000",
            ["FlowReport:Interval"] = "00:00:01",
        });
        builder.AddStreamBillingKafka(Topics.AllWithDeadLetters());
        builder.AddTopicFlowReport();
        builder.AddUsageSimulator();
        using var host = builder.Build();
        var report = host.Services.GetRequiredService<TopicFlowReporter>();

        await host.StartAsync(ct);
        await Polling.UntilAsync(() => report.Read.Values.Sum() >= expected.Values.Sum(), "the report read every simulated event", TimeSpan.FromSeconds(60));
        await host.StopAsync(ct);

        var final = Assert.IsAssignableFrom<IReadOnlyList<(string Topic, long Read, long InKafka)>>(report.Final);
        Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal), final.Select(r => KeyValuePair.Create(r.Topic, r.Read)).OrderBy(e => e.Key, StringComparer.Ordinal));
        Assert.All(final, r => Assert.Equal(r.InKafka, r.Read));
        Assert.IsType<EmbeddedKafkaCluster>(host.Services.GetRequiredService<IKafkaCluster>());
    }
}
