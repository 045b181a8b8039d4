using Avro.Specific;
using Confluent.Kafka;
using StreamBilling.Contracts;
using StreamBilling.Contracts.Tests;
using StreamBilling.Kafka;

namespace StreamBilling.IntegrationTests;

/// <summary>Every catalog value type through Kafka and the schema registry: published by runtime type, read back typed.</summary>
public sealed class CatalogRoundTripTests(KafkaFixture kafka)
{
    public static TheoryData<string> CatalogTopics() => [.. Topics.All.Where(t => t.ValueType is not null).Select(t => t.Name)];

    private static ISpecificRecord DeserializeAs<T>(KafkaClientFactory clients, byte[] bytes, string topic)
        where T : ISpecificRecord, new() =>
        clients.CreateAvroDeserializer<T>().Deserialize(bytes, isNull: false, new SerializationContext(MessageComponentType.Value, topic));

    [Theory]
    [MemberData(nameof(CatalogTopics))]
    public async Task CatalogValueType_PublishedAndReadBack_KeepsEveryFieldAndRegistersItsSubject(string catalogTopic)
    {
        var spec = Topics.All.Single(t => t.Name == catalogTopic);
        var valueType = spec.ValueType!;
        var topic = await kafka.CreateTopicAsync("catalog", partitions: 1);
        var ct = TestContext.Current.CancellationToken;
        var schema = SchemaCatalog.Record(valueType.FullName!);
        var sent = SampleRecords.Create(schema, seed: 11);
        using (var publisher = kafka.Clients.CreateRecordPublisher())
        {
            await publisher.PublishAsync(topic, "key-1", sent, DateTimeOffset.UnixEpoch.AddDays(20_000), ct);
            publisher.Flush(ct);
        }

        using var consumer = kafka.Clients.CreateRawConsumer(KafkaFixture.NewGroupId("catalog"));
        consumer.Assign(new TopicPartitionOffset(topic, 0, 0));
        var raw = Assert.Single(await Polling.ConsumeAsync(consumer, 1));
        consumer.Close();
        var received = (ISpecificRecord)typeof(CatalogRoundTripTests)
            .GetMethod(nameof(DeserializeAs), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(valueType)
            .Invoke(null, [kafka.Clients, raw.Message.Value, topic])!;
        var registered = await kafka.Registry.GetLatestSchemaAsync(topic + "-value");

        Assert.IsType(valueType, received);
        SampleRecords.AssertEqual(schema, sent, received, valueType.Name);
        Assert.Equal(sent.Schema.ToString(), Avro.Schema.Parse(registered.SchemaString).ToString());
    }
}
