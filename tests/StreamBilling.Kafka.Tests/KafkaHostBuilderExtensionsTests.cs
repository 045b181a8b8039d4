using Confluent.SchemaRegistry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace StreamBilling.Kafka.Tests;

public sealed class KafkaHostBuilderExtensionsTests
{
    private static IHost Build(params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)));
        builder.AddStreamBillingKafka();
        return builder.Build();
    }

    [Fact]
    public async Task NoBootstrapServers_UsesEmbeddedClusterAndInMemoryRegistry()
    {
        using var host = Build();
        var cluster = host.Services.GetRequiredService<IKafkaCluster>();
        Assert.IsType<EmbeddedKafkaCluster>(cluster);
        Assert.IsType<InMemorySchemaRegistryClient>(host.Services.GetRequiredService<ISchemaRegistryClient>());
        Assert.Equal(3, cluster.BootstrapServers.Split(',').Length);
        await ((IAsyncDisposable)host.Services).DisposeAsync();
    }

    [Fact]
    public void BootstrapServersAndRegistryUrl_UseRealClients()
    {
        using var host = Build(("Kafka:BootstrapServers", "kafka:9092"), ("SchemaRegistry:Url", "http://schema-registry:8081"));
        Assert.Equal("kafka:9092", host.Services.GetRequiredService<IKafkaCluster>().BootstrapServers);
        Assert.IsType<CachedSchemaRegistryClient>(host.Services.GetRequiredService<ISchemaRegistryClient>());
    }

    [Fact]
    public async Task InvalidOptions_FailOnStart()
    {
        using var host = Build(("Kafka:BootstrapServers", "no-port"));
        await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public void Factory_ConfiguresIdempotentProducerAndManualCommitConsumer()
    {
        using var host = Build(("Kafka:BootstrapServers", "kafka:9092"));
        var factory = host.Services.GetRequiredService<KafkaClientFactory>();
        var producer = factory.CreateProducerConfig();
        var consumer = factory.CreateConsumerConfig("g");
        Assert.Equal((true, Confluent.Kafka.Acks.All, Confluent.Kafka.CompressionType.Lz4), (producer.EnableIdempotence, producer.Acks, producer.CompressionType));
        Assert.Equal((false, Confluent.Kafka.AutoOffsetReset.Error, Confluent.Kafka.PartitionAssignmentStrategy.CooperativeSticky), (consumer.EnableAutoCommit, consumer.AutoOffsetReset, consumer.PartitionAssignmentStrategy));
    }

    [Fact]
    public void EmbeddedMode_UsesShortSessionTimeout()
    {
        var embedded = new KafkaClientFactory(new FixedCluster(embedded: true), new InMemorySchemaRegistryClient(), Options.Create(new KafkaOptions()), new KafkaTelemetry());
        var real = new KafkaClientFactory(new FixedCluster(embedded: false), new InMemorySchemaRegistryClient(), Options.Create(new KafkaOptions()), new KafkaTelemetry());
        Assert.True(embedded.CreateConsumerConfig("g").SessionTimeoutMs < real.CreateConsumerConfig("g").SessionTimeoutMs);
    }

    private sealed class FixedCluster(bool embedded) : IKafkaCluster
    {
        public string BootstrapServers => "localhost:9092";

        public bool IsEmbedded => embedded;
    }
}
