using Confluent.Kafka;
using Microsoft.Extensions.Options;
using StreamBilling.Contracts;
using StreamBilling.Contracts.Tests;
using StreamBilling.Events.Ec2;
using StreamBilling.Kafka;

namespace StreamBilling.IntegrationTests;

/// <summary>The core of <c>streambilling broker</c>: a shared embedded cluster that other clients find through its address file.</summary>
public sealed class BrokerTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "streambilling-broker-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    /// <summary>A client stack as another process builds it: its own registry, bootstrap servers from configuration.</summary>
    private static KafkaClientFactory ClientsOf(string bootstrapServers, InMemorySchemaRegistryClient registry) =>
        new(new FixedCluster(bootstrapServers), registry, Options.Create(new KafkaOptions { BootstrapServers = bootstrapServers }), new KafkaTelemetry());

    [Fact]
    public async Task Broker_WritesItsAddress_AndClientsOfThatAddressExchangeAvroOnCatalogTopics()
    {
        var addressFile = Path.Combine(_folder, "broker.address");
        var ct = TestContext.Current.CancellationToken;
        using var broker = EmbeddedBroker.Start(1, Topics.AllWithDeadLetters(), addressFile);
        var address = EmbeddedBroker.ReadAddress(addressFile);

        // Producer and consumer each keep their own in-memory registry, as separate processes would; the consumer's side
        // registered the catalog schema at start-up (what the host's schema registration does).
        var consumerRegistry = new InMemorySchemaRegistryClient();
        await consumerRegistry.RegisterSchemaAsync(Topics.InstanceLaunched + "-value", InstanceLaunched._SCHEMA.ToString());
        var producerClients = ClientsOf(address, new InMemorySchemaRegistryClient());
        var consumerClients = ClientsOf(address, consumerRegistry);
        var sent = (InstanceLaunched)SampleRecords.Create(SchemaCatalog.Record(typeof(InstanceLaunched).FullName!), seed: 5);
        using (var producer = producerClients.CreateAvroProducer<InstanceLaunched>())
        {
            await producer.ProduceAsync(Topics.InstanceLaunched, new Message<string, InstanceLaunched> { Key = sent.instanceId, Value = sent }, ct);
        }

        using var consumer = consumerClients.CreateAvroConsumer<InstanceLaunched>(KafkaFixture.NewGroupId("broker"));
        consumer.Subscribe(Topics.InstanceLaunched);
        var received = Assert.Single(await Polling.ConsumeAsync(consumer, 1));
        using var admin = consumerClients.CreateAdminClient();
        var partitions = admin.GetMetadata(Topics.InstanceLaunched, TimeSpan.FromSeconds(10)).Topics.Single().Partitions.Count;
        consumer.Close();

        Assert.Equal(broker.BootstrapServers, address);
        Assert.Equal(sent.instanceId, received.Message.Key);
        SampleRecords.AssertEqual(sent.Schema, sent, received.Message.Value, "value");
        Assert.Equal(Topics.All.Single(t => t.Name == Topics.InstanceLaunched).Partitions, partitions);
    }

    [Fact]
    public void Broker_Disposed_RemovesItsAddressFile()
    {
        var addressFile = Path.Combine(_folder, "gone.address");
        using (EmbeddedBroker.Start(1, [new TopicSpec("it.broker.gone", 1)], addressFile))
        {
            Assert.True(File.Exists(addressFile));
        }

        Assert.False(File.Exists(addressFile));
    }

    private sealed class FixedCluster(string bootstrapServers) : IKafkaCluster
    {
        public string BootstrapServers => bootstrapServers;

        public bool IsEmbedded => false;
    }
}
