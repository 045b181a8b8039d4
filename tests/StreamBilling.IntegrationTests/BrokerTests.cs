using System.Diagnostics;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using StreamBilling.Contracts;
using StreamBilling.Contracts.Tests;
using StreamBilling.Events.Ec2;
using StreamBilling.Kafka;

namespace StreamBilling.IntegrationTests;

/// <summary>
/// <c>streambilling broker</c>: a shared embedded cluster that other clients find through its address file, as a full
/// citizen: processes given only its address find its topic-creation endpoint and Schema Registry, run at-least-once and
/// agree on schema ids; the host runs its whole pipeline against it.
/// </summary>
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

    [Fact]
    public async Task ClientOfBrokerAddress_GetsTheEmbeddedBrokersEndpointRegistryAndAtLeastOnceLimits()
    {
        using var broker = EmbeddedBroker.Start(1, [], Path.Combine(_folder, "broker.address"));
        using var client = ClientOf(EmbeddedBroker.ReadAddress(broker.AddressFile));

        var cluster = client.Services.GetRequiredService<IKafkaCluster>();
        var registry = client.Services.GetRequiredService<ISchemaRegistryClient>();
        await registry.RegisterSchemaAsync("it.shared.client-value", new Schema(InstanceLaunched._SCHEMA.ToString(), SchemaType.Avro));

        Assert.True(cluster.IsEmbedded);
        Assert.IsType<CachedSchemaRegistryClient>(registry);
        Assert.Equal(["it.shared.client-value"], await broker.SchemaRegistry.GetAllSubjectsAsync());
    }

    [Fact]
    public void Connect_ToBrokerAddress_FindsTheEmbeddedBrokerAndItsEndpoint()
    {
        using var broker = EmbeddedBroker.Start(1, [new TopicSpec("it.shared.connect", 1)], Path.Combine(_folder, "broker.address"));

        var cluster = SharedEmbeddedCluster.Connect(EmbeddedBroker.ReadAddress(broker.AddressFile), "it-shared");

        var shared = Assert.IsType<SharedEmbeddedCluster>(cluster);
        Assert.True(shared.IsEmbedded);
        Assert.Equal(broker.Descriptor, shared.Descriptor);
        Assert.Equal(broker.Descriptor, EmbeddedBroker.ReadDescriptor(broker.AddressFile));
        Assert.False(shared.Descriptor.Transactions);
    }

    [Fact]
    public void Connect_ToClusterWithoutDescriptor_IsARealCluster()
    {
        using var plain = EmbeddedKafkaCluster.Start(1);

        var cluster = SharedEmbeddedCluster.Connect(plain.BootstrapServers, "it-shared");

        Assert.False(cluster.IsEmbedded);
        Assert.IsNotType<SharedEmbeddedCluster>(cluster);
    }

    [Fact]
    public async Task ControlEndpoint_CreatesTopicsWithTheirPartitionCounts()
    {
        using var broker = EmbeddedBroker.Start(1, [], Path.Combine(_folder, "broker.address"));
        var ct = TestContext.Current.CancellationToken;
        using var client = ClientOf(broker.BootstrapServers);
        var provisioner = client.Services.GetRequiredService<ITopicProvisioner>();

        await provisioner.EnsureTopicsAsync([new TopicSpec("it.shared.app-store-changelog", 7), new TopicSpec("it.shared.late", 3)], ct);
        await provisioner.EnsureTopicsAsync([new TopicSpec("it.shared.late", 3)], ct); // existing: no error

        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();
        var partitions = admin.GetMetadata(TimeSpan.FromSeconds(10)).Topics.ToDictionary(t => t.Topic, t => t.Partitions.Count);
        Assert.Equal(7, partitions["it.shared.app-store-changelog"]);
        Assert.Equal(3, partitions["it.shared.late"]);
    }

    [Fact]
    public async Task SchemaRegistryApi_TwoClients_AgreeOnIdsAndReadEachOthersSchemas()
    {
        using var broker = EmbeddedBroker.Start(1, [], Path.Combine(_folder, "broker.address"));
        using var writer = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = broker.Descriptor.SchemaRegistryUrl });
        using var reader = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = broker.Descriptor.SchemaRegistryUrl });
        var schema = new Schema(InstanceLaunched._SCHEMA.ToString(), SchemaType.Avro);

        var id = await writer.RegisterSchemaAsync(Topics.InstanceLaunched + "-value", schema);
        var again = await reader.RegisterSchemaAsync(Topics.InstanceLaunched + "-value", schema);
        var byId = await reader.GetSchemaAsync(id);
        var latest = await reader.GetLatestSchemaAsync(Topics.InstanceLaunched + "-value");
        var inMemoryId = await new InMemorySchemaRegistryClient().RegisterSchemaAsync("any-value", schema);

        Assert.Equal(id, again);
        Assert.Equal(inMemoryId, id);
        Assert.Equal(Avro.Schema.Parse(schema.SchemaString).ToString(), Avro.Schema.Parse(byId.SchemaString).ToString());
        Assert.Equal((1, id), (latest.Version, latest.Id));
        Assert.Equal([Topics.InstanceLaunched + "-value"], await reader.GetAllSubjectsAsync());
    }

    [Fact]
    public async Task SchemaRegistryApi_IncompatibleSchema_IsRejectedWith409UnlessCompatibilityIsNone()
    {
        using var broker = EmbeddedBroker.Start(1, [], Path.Combine(_folder, "broker.address"));
        using var client = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = broker.Descriptor.SchemaRegistryUrl });
        const string Subject = "it.shared.mixed-value";
        var other = new Schema(Events.Cdn.CdnTraffic._SCHEMA.ToString(), SchemaType.Avro);
        await client.RegisterSchemaAsync(Subject, new Schema(InstanceLaunched._SCHEMA.ToString(), SchemaType.Avro));

        var compatible = await client.IsCompatibleAsync(Subject, other);
        var rejected = await Assert.ThrowsAsync<SchemaRegistryException>(() => client.RegisterSchemaAsync(Subject, other));
        await client.UpdateCompatibilityAsync(Compatibility.None, Subject);
        var accepted = await client.RegisterSchemaAsync(Subject, other);

        Assert.False(compatible);
        Assert.Equal(409, rejected.ErrorCode);
        Assert.Equal(2, (await client.GetLatestSchemaAsync(Subject)).Version);
        Assert.Equal(accepted, (await client.GetLatestSchemaAsync(Subject)).Id);
    }

    /// <summary>
    /// The README's multi-process flow: the host as its own process, given only the broker's address, creates its stream
    /// applications' internal topics through the broker, registers its schemas in the broker's registry, runs its simulator
    /// through the whole pipeline at-least-once and exits 0 when its duration ends (it aborted at start before).
    /// </summary>
    [Fact]
    public async Task Host_AsProcessGivenOnlyTheBrokerAddress_RunsThePipelineAndExitsZero()
    {
        using var broker = EmbeddedBroker.Start(1, Topics.AllWithDeadLetters(), Path.Combine(_folder, "broker.address"));
        var ct = TestContext.Current.CancellationToken;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = _folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { HostDll(), "--duration", "00:00:25", "--urls", "http://127.0.0.1:0" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["Kafka__BootstrapServers"] = EmbeddedBroker.ReadAddress(broker.AddressFile);
        start.Environment["Simulator__Enabled"] = "true";
        start.Environment["Simulator__Customers"] = "3";
        start.Environment["Simulator__SimulatedDuration"] = "12:00:00";
        start.Environment["Storage__DuckDbPath"] = Path.Combine(_folder, "usage.duckdb");
        using var host = Process.Start(start)!;
        var output = host.StandardOutput.ReadToEndAsync(ct);
        var errors = host.StandardError.ReadToEndAsync(ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(120));
        try
        {
            await host.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!host.HasExited)
            {
                host.Kill(entireProcessTree: true);
            }
        }

        var log = await output + await errors;
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();
        var topics = admin.GetMetadata(TimeSpan.FromSeconds(10)).Topics.Select(t => t.Topic).ToList();
        var invoicePartitions = topics.Contains(Topics.Invoices)
            ? admin.GetMetadata(Topics.Invoices, TimeSpan.FromSeconds(10)).Topics.Single().Partitions.Select(p => new TopicPartition(Topics.Invoices, p.PartitionId)).ToList()
            : [];
        var (_, high) = await admin.ListWatermarksAsync(invoicePartitions, TimeSpan.FromSeconds(10));

        Assert.True(host.ExitCode == 0, $"host exit code {host.ExitCode}:\n{log}");
        Assert.Contains("running at-least-once", log, StringComparison.Ordinal);
        Assert.Contains(topics, t => t.EndsWith("-changelog", StringComparison.Ordinal));
        Assert.Contains(Topics.Invoices + "-value", await broker.SchemaRegistry.GetAllSubjectsAsync());
        Assert.True(high.Values.Sum() > 0, "no invoice reached billing.invoices:\n" + log);
    }

    /// <summary>The Kafka registration of a process configured with nothing but the bootstrap address.</summary>
    private static IHost ClientOf(string bootstrapServers)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration["Kafka:BootstrapServers"] = bootstrapServers;
        builder.AddStreamBillingKafka();
        return builder.Build();
    }

    /// <summary>The host's build output next to this test assembly's configuration (the project reference builds it).</summary>
    private static string HostDll()
    {
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var path = Path.Combine(RepositoryPaths.Root, "src", "StreamBilling.Host", "bin", configuration, "net10.0", "StreamBilling.Host.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build the host first.", path);
    }

    private sealed class FixedCluster(string bootstrapServers) : IKafkaCluster
    {
        public string BootstrapServers => bootstrapServers;

        public bool IsEmbedded => false;
    }
}
