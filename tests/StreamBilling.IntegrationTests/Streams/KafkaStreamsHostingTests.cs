using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StreamBilling.Kafka;
using StreamBilling.Streams.Kafka;

namespace StreamBilling.IntegrationTests.Streams;

/// <summary>Stream applications as hosted services: started and stopped with the host, visible in the registry.</summary>
public class KafkaStreamsHostingTests(KafkaFixture kafka)
{
    [Fact]
    public async Task HostedApplication_ProcessesWhileTheHostRuns_AndStopsCleanlyWithIt()
    {
        var app = await WindowedSumApp.CreateAsync(kafka, "streams-hosted");
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        // The fixture's cluster and registry, so this host talks to the same Kafka.
        builder.Services.AddSingleton(kafka.Cluster);
        builder.Services.AddSingleton(kafka.Registry);
        builder.AddStreamBillingKafka();
        builder.AddKafkaStreams("sums", _ => app.Topology, _ => new KafkaStreamsOptions { CommitInterval = TimeSpan.FromMilliseconds(200) });
        using var host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        var streams = host.Services.GetRequiredService<KafkaStreamsRegistry>().Applications["sums"];

        var records = WindowedSumApp.Records(0, 300).ToList();
        await app.ProduceAsync(records);
        var expected = WindowedSumApp.ExpectedSums(records);
        var output = await app.ReadOutputAsync(view => view.Matches(expected));
        Assert.Equal(KafkaStreamsState.Running, streams.State);

        await host.StopAsync(TestContext.Current.CancellationToken);
        Assert.True(output.Matches(expected));
        Assert.Equal(KafkaStreamsState.Stopped, streams.State);
    }
}
