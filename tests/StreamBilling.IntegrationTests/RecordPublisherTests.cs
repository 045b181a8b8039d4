using Avro.Generic;
using Confluent.Kafka;
using Confluent.Kafka.SyncOverAsync;
using Confluent.SchemaRegistry.Serdes;
using StreamBilling.Contracts;
using StreamBilling.Simulation;

namespace StreamBilling.IntegrationTests;

public sealed class RecordPublisherTests(KafkaFixture kafka)
{
    [Fact]
    public async Task SimulatorEvents_OfManyTypes_ArriveOnTheirTopicsAsTheCatalogSchemas()
    {
        var ct = TestContext.Current.CancellationToken;
        var events = new UsageSimulator(new SimulationOptions { Customers = 3, Duration = TimeSpan.FromHours(2), Seed = 7 }).Generate().ToList();

        // Each catalog topic the simulator writes gets a private stand-in, so the test owns its data.
        var topicOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var catalogTopic in events.Select(e => e.Topic).Distinct())
        {
            topicOf[catalogTopic] = await kafka.CreateTopicAsync("publish", partitions: 2);
        }

        using (var publisher = kafka.Clients.CreateRecordPublisher())
        {
            foreach (var e in events)
            {
                await publisher.PublishAsync(topicOf[e.Topic], e.Key, e.Value, e.Timestamp, ct);
            }

            publisher.Flush(ct);
            Assert.Equal(events.Count, publisher.DeliveredTotal);
        }

        using var consumer = kafka.Clients.CreateRawConsumer(KafkaFixture.NewGroupId("publish"));
        consumer.Subscribe(topicOf.Values);
        var received = await Polling.ConsumeAsync(consumer, events.Count, TimeSpan.FromSeconds(60));
        consumer.Close();
        var generic = new AvroDeserializer<GenericRecord>(kafka.Registry).AsSyncOverAsync();
        var catalogTopicOf = topicOf.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);
        var decoded = received.Select(r =>
        {
            var value = generic.Deserialize(r.Message.Value, isNull: false, new SerializationContext(MessageComponentType.Value, r.Topic));
            return (Topic: catalogTopicOf[r.Topic], Type: value.Schema.Fullname, EventId: (string)value["eventId"], Key: System.Text.Encoding.UTF8.GetString(r.Message.Key));
        }).ToList();

        Assert.True(topicOf.Count >= 10, $"the simulator should cover most usage topics, saw {topicOf.Count}");
        Assert.Equal(
            events.Select(e => (e.Topic, Topics.All.Single(t => t.Name == e.Topic).ValueType!.FullName, EventId: (string)e.Value.Get(((Avro.RecordSchema)e.Value.Schema)["eventId"].Pos), e.Key)).Order(),
            decoded.Select(d => (d.Topic, (string?)d.Type, d.EventId, d.Key)).Order());
    }

    [Fact]
    public async Task Publisher_WithBackPressureGroup_WaitsAtTheLagBound_UntilTheGroupCommits()
    {
        var ct = TestContext.Current.CancellationToken;
        var topic = await kafka.CreateTopicAsync("publish-pressure", partitions: 1);
        var group = KafkaFixture.NewGroupId("publish-pressure");
        var events = new UsageSimulator(new SimulationOptions { Customers = 1, Duration = TimeSpan.FromHours(1) }).Generate()
            .Where(e => e.Topic == Topics.CdnTraffic)
            .Take(31)
            .ToList();
        using var publisher = kafka.Clients.CreateRecordPublisher([group], maxLagPerPartition: 30);

        foreach (var e in events.Take(30))
        {
            await publisher.PublishAsync(topic, e.Key, e.Value, e.Timestamp, ct);
        }

        publisher.Flush(ct);
        var last = publisher.PublishAsync(topic, events[30].Key, events[30].Value, events[30].Timestamp, ct).AsTask();
        var blocked = await Task.WhenAny(last, Task.Delay(TimeSpan.FromMilliseconds(500), ct)) != last;

        using var consumer = kafka.Clients.CreateRawConsumer(group);
        consumer.Subscribe(topic);
        await Polling.ConsumeAsync(consumer, 30);
        consumer.Commit();
        await last.WaitAsync(Polling.DefaultTimeout, ct);
        publisher.Flush(ct);
        consumer.Close();

        Assert.True(blocked, "the 31st record should wait while the group lags by 30");
        Assert.Equal((1L, 31L), (publisher.Pauses, publisher.DeliveredTotal));
    }
}
