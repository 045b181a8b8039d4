using System.Text;
using Avro.Specific;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StreamBilling.Contracts;
using StreamBilling.Contracts.Serialization;
using StreamBilling.Events.Common;
using StreamBilling.Events.Outputs;
using StreamBilling.Kafka;
using StreamBilling.Pipeline.Hosting;
using StreamBilling.Simulation;
using StreamBilling.Streams;

namespace StreamBilling.IntegrationTests.Pipeline;

/// <summary>
/// Undecodable and future-dated records on the usage topics, read by the pipeline's stream applications as the host runs
/// them (own embedded cluster, so the shared topics of <see cref="PipelineRun"/> stay clean): every poison record lands in
/// <c>&lt;topic&gt;.dlq</c>, the good records around them are processed, and a restart does not meet them again.
/// </summary>
public sealed class PoisonRecordTests
{
    private static readonly string[] PoisonedTopics = [Topics.CdnTraffic, Topics.InstanceLaunched, Topics.S3BucketUsage, Topics.CdnCostExplorer];
    private static readonly string[] Applications = [PipelineApplications.InstanceSessions, PipelineApplications.CdnCaps, PipelineApplications.CdnUsageMessages, PipelineApplications.Pricing];
    private static readonly DateTimeOffset FarFuture = new(2100, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly SimulationOptions Simulation = new()
    {
        Seed = 23,
        Customers = 2,
        Start = new DateTimeOffset(2024, 9, 29, 0, 0, 0, TimeSpan.Zero),
        Duration = TimeSpan.FromDays(2),
        InstancesPerCustomer = 6,
        TerminateBeforeLaunchRatio = 0,
        DuplicateRatio = 0,
        CdnBurstCustomerRatio = 1,
        MediaCustomerRatio = 0,
        ElasticIpRatio = 0,
        ReservedCustomerRatio = 0,
        MeteredStorage = true,
    };

    [Fact]
    public async Task PoisonRecords_OnUsageTopics_AreDeadLettered_GoodRecordsAreProcessed_AndARestartDoesNotStopOnThem()
    {
        var ct = TestContext.Current.CancellationToken;
        var infraBuilder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        infraBuilder.AddStreamBillingKafka(Topics.AllWithDeadLetters());
        using var infra = infraBuilder.Build();
        await infra.StartAsync(ct);
        var clients = infra.Services.GetRequiredService<KafkaClientFactory>();
        using var admin = clients.CreateAdminClient();
        var events = new UsageSimulator(Simulation).Generate().ToList();
        var poisons = await ProducePoisonAsync(clients, events, ct);
        var run = Guid.NewGuid().ToString("N")[..8];

        var host = BuildHost(infra, run);
        try
        {
            await SimulatedCdnRegistry.LoadAsync(host.Services, new UsageSimulator(Simulation).Customers, ct);
            await host.StartAsync(ct);
            using (var publisher = clients.CreateRecordPublisher([.. host.Services.GetServices<BackPressureGroup>()]))
            {
                foreach (var e in events)
                {
                    await publisher.PublishAsync(e.Topic, e.Key, e.Value, e.Timestamp, ct);
                }

                // A Cost Explorer figure dated 2100 must neither be priced nor move the CDN usage messages to 2099.
                var figure = events.First(e => e.Topic == Topics.CdnCostExplorer);
                await publisher.PublishAsync(figure.Topic, figure.Key, figure.Value, FarFuture, ct);
                publisher.Flush(ct);
            }

            await PipelineProgress.WaitUntilCommittedAsync(host, clients, admin, PipelineProgress.Applications(host, Applications), ct);
            await host.StopAsync(ct);
        }
        finally
        {
            await ((IAsyncDisposable)host).DisposeAsync();
        }

        var deadLetters = await DeadLettersAsync(clients, admin, ct);
        var readers = ReadersOf(run);
        var expected = poisons
            .SelectMany(p => readers[p.Source.Topic].Select(app => (Id: DeadLetterHeaders.IdOf(app, p.Source), p.Source, p.Value)))
            .OrderBy(p => p.Id, StringComparer.Ordinal)
            .ToList();
        Assert.Equal(expected.Select(p => p.Id), deadLetters.Select(d => Header(d, DeadLetterHeaders.Id)));
        foreach (var (dead, (_, source, value)) in deadLetters.Zip(expected))
        {
            Assert.Equal(source.Topic, Header(dead, DeadLetterHeaders.SourceTopic));
            Assert.Equal(source.Partition.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), Header(dead, DeadLetterHeaders.SourcePartition));
            Assert.Equal(source.Offset.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), Header(dead, DeadLetterHeaders.SourceOffset));
            Assert.StartsWith("cannot deserialize the value: ", Header(dead, DeadLetterHeaders.Error), StringComparison.Ordinal);
            Assert.False(string.IsNullOrEmpty(Header(dead, DeadLetterHeaders.ErrorType)));
            Assert.Equal("poison-test", Header(dead, "origin"));
            Assert.Equal(value, dead.Message.Value);
        }

        // The good records around the poison went through every application.
        var segments = await ReadAvroAsync<UsageSegment>(clients, admin, Topics.UsageSegments, ct);
        var launched = events.Where(e => e.Topic == Topics.InstanceLaunched).Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
        Assert.Superset(launched.Where(id => events.Any(e => e.Topic == Topics.InstanceTerminated && e.Key == id)).ToHashSet(StringComparer.Ordinal), segments.Where(s => s.isFinal).Select(s => s.instanceId).ToHashSet(StringComparer.Ordinal));
        var lines = await ReadAvroAsync<PricedLineItem>(clients, admin, Topics.PricedLines, ct);
        Assert.Contains(lines, l => l.service == ServiceKind.S3);
        Assert.Contains(lines, l => l.service == ServiceKind.Cdn);
        Assert.DoesNotContain(lines, l => l.usageStart.Year >= 2100);
        var decisions = await ReadAvroAsync<CdnCapDecision>(clients, admin, Topics.CdnCaps, ct);
        Assert.Equal(Simulation.Customers, decisions.Select(d => d.customerId).Distinct(StringComparer.Ordinal).Count());
        var messages = await ReadAvroAsync<CdnUsageBillingMessage>(clients, admin, Topics.CdnUsageMessages, ct);
        Assert.NotEmpty(messages);
        Assert.All(messages, m => Assert.True(m.payload.startPeriod.Year < 2030, $"a message for {m.payload.startPeriod:O}"));

        // The future figure went to the late-records topic of both applications that read Cost Explorer figures, inside
        // the LateRecord envelope (the topic's one subject) with the figure's bytes as read.
        var envelopes = new AvroWireCodec<LateRecord>(clients.SchemaRegistry);
        var figureId = ((Events.Cdn.CdnTraffic)events.First(e => e.Topic == Topics.CdnCostExplorer).Value).eventId;
        foreach (var app in readers[Topics.CdnCostExplorer])
        {
            var late = await ReadRawAsync(clients, admin, $"{app}-late-records", ct);
            var future = Assert.Single(late, r => Header(r, RecordHeaderNames.LateReason)?.StartsWith("future-timestamp: 2100-01-01", StringComparison.Ordinal) == true);
            Assert.Equal(FarFuture, DateTimeOffset.FromUnixTimeMilliseconds(future.Message.Timestamp.UnixTimestampMs));
            var envelope = envelopes.Deserialize(future.Message.Value);
            Assert.Equal((app, Topics.CdnCostExplorer, FarFuture.UtcDateTime), (envelope.applicationId, envelope.sourceTopic, envelope.timestamp));
            Assert.StartsWith("future-timestamp: 2100-01-01", envelope.reason, StringComparison.Ordinal);
            Assert.Equal(figureId, new AvroWireCodec<Events.Cdn.CdnTraffic>(clients.SchemaRegistry).Deserialize(envelope.value).eventId);
            Assert.Equal(LateRecord._SCHEMA.Fullname, Avro.Schema.Parse((await clients.SchemaRegistry.GetLatestSchemaAsync($"{app}-late-records-value")).SchemaString).Fullname);
        }

        // A restart resumes after the poison: the applications run, read nothing again and write no new dead letter.
        var restarted = BuildHost(infra, run);
        try
        {
            await SimulatedCdnRegistry.LoadAsync(restarted.Services, new UsageSimulator(Simulation).Customers, ct);
            await restarted.StartAsync(ct);
            await PipelineProgress.WaitUntilCommittedAsync(restarted, clients, admin, PipelineProgress.Applications(restarted, Applications), ct);
            await restarted.StopAsync(ct);
        }
        finally
        {
            await ((IAsyncDisposable)restarted).DisposeAsync();
        }

        Assert.Equal(deadLetters.Count, (await DeadLettersAsync(clients, admin, ct)).Count);
        await infra.StopAsync(ct);
    }

    /// <summary>
    /// Each poison kind to each poisoned topic, before any good record: random bytes, an unknown schema id, valid Avro of
    /// another schema, truncated Avro, and no value at all.
    /// </summary>
    private static async Task<List<(TopicPartitionOffset Source, byte[]? Value)>> ProducePoisonAsync(KafkaClientFactory clients, List<SimulatedEvent> events, CancellationToken ct)
    {
        var serializer = clients.CreateSpecificRecordSerializer();
        byte[] Avro(SimulatedEvent e) => serializer.Serialize(e.Value, new SerializationContext(MessageComponentType.Value, e.Topic));
        var random = new Random(7);
        var produced = new List<(TopicPartitionOffset, byte[]?)>();
        using var producer = clients.CreateRawProducer();
        foreach (var topic in PoisonedTopics)
        {
            var own = events.First(e => e.Topic == topic);
            var other = events.First(e => e.Topic == (topic == Topics.InstanceLaunched ? Topics.CdnTraffic : Topics.InstanceLaunched));
            var randomBytes = new byte[40];
            random.NextBytes(randomBytes);
            randomBytes[0] = 0xA5; // not the wire format's magic byte 0
            var ownBytes = Avro(own);
            var poisons = new Dictionary<string, byte[]?>(StringComparer.Ordinal)
            {
                ["random-bytes"] = randomBytes,
                ["unknown-schema-id"] = [0, 0x7F, 0x00, 0x12, 0x34, .. ownBytes[5..]],
                ["other-schema"] = Avro(other),
                ["truncated"] = ownBytes[..(ownBytes.Length / 2)],
                ["no-value"] = null,
            };
            foreach (var (kind, value) in poisons)
            {
                var result = await producer.ProduceAsync(
                    topic,
                    new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(own.Key), Value = value!, Headers = new Confluent.Kafka.Headers { { "origin", "poison-test"u8.ToArray() }, { "kind", Encoding.UTF8.GetBytes(kind) } } },
                    ct);
                produced.Add((result.TopicPartitionOffset, value));
            }
        }

        return produced;
    }

    /// <summary>The application ids of the run that read each poisoned topic.</summary>
    private static Dictionary<string, List<string>> ReadersOf(string run)
    {
        var byName = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [PipelineApplications.InstanceSessions] = $"it-sessions-{run}",
            [PipelineApplications.CdnCaps] = $"it-cdn-caps-{run}",
            [PipelineApplications.CdnUsageMessages] = $"it-cdn-usage-{run}",
            [PipelineApplications.Pricing] = $"it-pricing-{run}",
        };
        return new Dictionary<string, List<string>>(StringComparer.Ordinal)
        {
            [Topics.CdnTraffic] = [byName[PipelineApplications.CdnCaps]],
            [Topics.InstanceLaunched] = [byName[PipelineApplications.InstanceSessions]],
            [Topics.S3BucketUsage] = [byName[PipelineApplications.Pricing]],
            [Topics.CdnCostExplorer] = [byName[PipelineApplications.CdnUsageMessages], byName[PipelineApplications.Pricing]],
        };
    }

    /// <summary>The four applications that read the poisoned topics, registered as the host registers them, on <paramref name="infra"/>'s cluster.</summary>
    private static IHost BuildHost(IHost infra, string run)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton(infra.Services.GetRequiredService<IKafkaCluster>());
        builder.Services.AddSingleton(infra.Services.GetRequiredService<ISchemaRegistryClient>());
        var settings = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            // The CDN registry the caps read lives in the store: one of this host's own.
            [$"{UsageStoreSettings.SectionName}:DuckDbPath"] = UsageStoreSettings.InMemory,
        };
        foreach (var (section, name) in new[]
                 {
                     (PipelineSections.InstanceSessions, "sessions"), (PipelineSections.CdnCaps, "cdn-caps"),
                     (PipelineSections.CdnUsageMessages, "cdn-usage"), (PipelineSections.Pricing, "pricing"),
                 })
        {
            settings[$"{section}:ApplicationId"] = $"it-{name}-{run}";
            settings[$"{section}:CommitInterval"] = "00:00:00.200";

            // A stable instance id: the restart is the same instance coming back.
            settings[$"{section}:InstanceId"] = $"it-{name}-{run}-0";
        }

        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddStreamBillingKafka();
        builder.AddPricing();
        builder.AddCdnCaps();
        builder.AddCdnUsageMessages();
        builder.AddInstanceSessions();
        return builder.Build();
    }

    private static async Task<List<ConsumeResult<byte[], byte[]>>> DeadLettersAsync(KafkaClientFactory clients, IAdminClient admin, CancellationToken ct)
    {
        var all = new List<ConsumeResult<byte[], byte[]>>();
        foreach (var topic in PoisonedTopics)
        {
            all.AddRange(await ReadRawAsync(clients, admin, Topics.DeadLetterName(topic), ct));
        }

        return [.. all.OrderBy(d => Header(d, DeadLetterHeaders.Id), StringComparer.Ordinal)];
    }

    private static async Task<List<T>> ReadAvroAsync<T>(KafkaClientFactory clients, IAdminClient admin, string topic, CancellationToken ct)
        where T : ISpecificRecord, new()
    {
        var deserializer = clients.CreateAvroDeserializer<T>();
        return [.. (await ReadRawAsync(clients, admin, topic, ct))
            .Select(r => deserializer.Deserialize(r.Message.Value, false, new SerializationContext(MessageComponentType.Value, topic)))];
    }

    /// <summary>Every record of <paramref name="topic"/> (this test's cluster holds only this test's records).</summary>
    private static async Task<List<ConsumeResult<byte[], byte[]>>> ReadRawAsync(KafkaClientFactory clients, IAdminClient admin, string topic, CancellationToken ct)
    {
        var partitions = PipelineProgress.Partitions(admin, [topic]);
        var (low, high) = await admin.ListWatermarksAsync(partitions, PipelineProgress.BrokerTimeout);
        var count = partitions.Sum(p => high[p] - low[p]);
        if (count == 0)
        {
            return [];
        }

        using var consumer = clients.CreateRawConsumer(KafkaFixture.NewGroupId("poison-read"));
        consumer.Assign(partitions.Select(p => new TopicPartitionOffset(p, low[p])));
        var records = await Polling.ConsumeAsync(consumer, (int)count, TimeSpan.FromSeconds(30));
        ct.ThrowIfCancellationRequested();
        return records;
    }

    private static string? Header(ConsumeResult<byte[], byte[]> record, string name) => DeadLetterHeaders.Read(record.Message.Headers, name);
}
