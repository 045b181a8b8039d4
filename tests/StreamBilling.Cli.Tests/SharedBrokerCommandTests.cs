using Confluent.Kafka;
using StreamBilling.Contracts;
using StreamBilling.Kafka;
using StreamBilling.Storage;

namespace StreamBilling.Cli.Tests;

/// <summary>CLI commands given only the address of a <c>streambilling broker</c> (no Schema Registry URL).</summary>
public sealed class SharedBrokerCommandTests
{
    [Fact]
    public async Task CdnEnable_BrokerAddressWithoutSchemaRegistry_PublishesThroughTheBrokersRegistry()
    {
        using var work = new TempFolder();
        var ct = TestContext.Current.CancellationToken;
        using var broker = EmbeddedBroker.Start(1, Topics.AllWithDeadLetters(), work.Sub("broker.address"));
        var db = work.Sub("usage.duckdb");
        await using (var store = await UsageStores.OpenDuckDbAsync(db, ct))
        {
            await store.ApplyAsync(new CdnStatusUpdate("CUST0001", "E1", DistributionStatus.Disabled, "cap-1", "cap exceeded", DateTimeOffset.UnixEpoch), ct);
        }

        // The command prints to the console; what matters is what reached the broker.
        var (exitCode, _, error) = await CliRun.RunAsync("cdn", "enable", "CUST0001", "--db", db, "--bootstrap-servers", broker.BootstrapServers);

        Assert.True(exitCode == 0, error);
        Assert.Contains(Topics.CdnStatus + "-value", await broker.SchemaRegistry.GetAllSubjectsAsync());
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();
        var partitions = admin.GetMetadata(Topics.CdnStatus, TimeSpan.FromSeconds(10)).Topics.Single().Partitions.Select(p => new TopicPartition(Topics.CdnStatus, p.PartitionId)).ToList();
        var (_, high) = await admin.ListWatermarksAsync(partitions, TimeSpan.FromSeconds(10));
        Assert.Equal(1, high.Values.Sum());
    }

    [Fact]
    public async Task Simulate_BrokerAddress_PublishesWithSchemasTheBrokerKnows()
    {
        using var work = new TempFolder();
        using var broker = EmbeddedBroker.Start(1, Topics.AllWithDeadLetters(), work.Sub("broker.address"));

        var (exitCode, _, error) = await CliRun.RunAsync("simulate", "--customers", "2", "--duration", "1h", "--rate", "0", "--start", "2024-07-01T00:00:00Z", "--bootstrap-servers", broker.BootstrapServers);

        Assert.True(exitCode == 0, error);
        Assert.Contains(Topics.CdnTraffic + "-value", await broker.SchemaRegistry.GetAllSubjectsAsync());
    }
}
