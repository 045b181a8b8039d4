using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StreamBilling.Contracts;
using StreamBilling.Events.Outputs;
using StreamBilling.Kafka;
using StreamBilling.Pipeline.Cdn;
using StreamBilling.Pipeline.Tests;
using StreamBilling.Storage;

namespace StreamBilling.Pipeline.Hosting.Tests;

/// <summary>The controller's consumer loop on the embedded cluster: decisions in, status changes out, idempotent on re-delivery.</summary>
public sealed class CdnControllerServiceTests
{
    [Fact]
    public async Task DecisionsOnCdnCaps_BecomeOneStatusChangePerDecision_OnCdnStatus()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(120));
        var ct = timeout.Token;
        await using var cluster = EmbeddedKafkaCluster.Start(1);
        foreach (var topic in new[] { Topics.CdnCaps, Topics.CdnCaps + Topics.DeadLetterSuffix, Topics.CdnStatus })
        {
            cluster.CreateTopic(topic, 1);
        }

        using var telemetry = new KafkaTelemetry();
        var factory = new KafkaClientFactory(cluster, new InMemorySchemaRegistryClient(), Options.Create(new KafkaOptions()), telemetry);
        await using var store = await UsageStores.OpenDuckDbAsync(null, ct);
        await TestCdnRegistry.LoadAsync(store);
        var controller = new CdnController(store, store, new FakeTimeProvider(T.At("2024-08-01T10:05:00Z")));
        using (var producer = factory.CreateAvroProducer<CdnCapDecision>())
        {
            // The second copy is a re-delivery: it must give the same event, not a second change.
            foreach (var decision in new[] { Decision("d1", "c1"), Decision("d1", "c1"), Decision("d2", "c2") })
            {
                await producer.ProduceAsync(Topics.CdnCaps, new Message<string, CdnCapDecision> { Key = decision.customerId, Value = decision }, ct);
            }
        }

        using var service = new CdnControllerService(factory, controller, NullLogger<CdnControllerService>.Instance);
        await service.StartAsync(ct);
        var changes = new List<CdnStatusChanged>();
        using (var reader = factory.CreateAvroConsumer<CdnStatusChanged>("test-reader-" + Guid.NewGuid().ToString("N")))
        {
            reader.Subscribe(Topics.CdnStatus);
            while (changes.Count < 3)
            {
                changes.Add(reader.ConsumeChecked(ct).Message.Value);
            }

            reader.Close();
        }

        await service.StopAsync(ct);

        Assert.Equal(
            [("c1", CdnController.StatusChangeId("d1")), ("c1", CdnController.StatusChangeId("d1")), ("c2", CdnController.StatusChangeId("d2"))],
            changes.Select(c => (c.customerId, c.eventId)));
        Assert.All(changes, c => Assert.Equal(CdnDistributionStatus.Disabled, c.status));
        Assert.Equal(DistributionStatus.Disabled, (await store.GetAsync("c2", ct))!.Status);
    }

    private static CdnCapDecision Decision(string id, string customer) => new()
    {
        eventId = id,
        source = "test",
        customerId = customer,
        distributionId = "dist-" + customer,
        windowStart = T.Utc("2024-08-01T10:00:00Z"),
        windowEnd = T.Utc("2024-08-01T10:15:00Z"),
        totalBytes = 120 * CdnEvents.Gb,
        limitBytes = 100 * CdnEvents.Gb,
        decidedAt = T.Utc("2024-08-01T10:04:20Z"),
        sourceEventIds = ["s1"],
    };
}
