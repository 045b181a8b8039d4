using Confluent.Kafka;
using Microsoft.Extensions.Options;
using StreamBilling.Events.Cdn;
using StreamBilling.Kafka.Tests.Records;

namespace StreamBilling.Kafka.Tests;

public sealed class SpecificRecordSerializerTests
{
    private sealed class UnusedCluster : IKafkaCluster
    {
        public string BootstrapServers => "unused:9092";

        public bool IsEmbedded => false;
    }

    private static KafkaClientFactory Factory(InMemorySchemaRegistryClient registry) =>
        new(new UnusedCluster(), registry, Options.Create(new KafkaOptions()), new KafkaTelemetry());

    private static SerializationContext ValueOf(string topic) => new(MessageComponentType.Value, topic);

    [Fact]
    public void Serialize_WritesTheSameBytesAsTheTypedSerializer()
    {
        var factory = Factory(new InMemorySchemaRegistryClient());
        var reading = new MeterReading { ReadingId = "r1", CustomerId = "c1", Quantity = 5, Note = "n" };

        Assert.Equal(
            factory.CreateAvroSerializer<MeterReading>().Serialize(reading, ValueOf("meter")),
            factory.CreateSpecificRecordSerializer().Serialize(reading, ValueOf("meter")));
    }

    [Fact]
    public async Task Serialize_TwoTypesOnTwoTopics_RegistersEachTypeUnderItsTopicSubject()
    {
        var registry = new InMemorySchemaRegistryClient();
        var serializer = Factory(registry).CreateSpecificRecordSerializer();

        serializer.Serialize(new MeterReading { ReadingId = "r1", CustomerId = "c1" }, ValueOf("meter"));
        serializer.Serialize(new CdnTraffic { eventId = "e", source = "s", customerId = "c", distributionId = "d", dataSource = CdnDataSource.CloudWatch }, ValueOf("cdn"));

        Assert.Equal(["cdn-value", "meter-value"], await registry.GetAllSubjectsAsync());
        Assert.Equal(CdnTraffic._SCHEMA.ToString(), Avro.Schema.Parse((await registry.GetLatestSchemaAsync("cdn-value")).SchemaString).ToString());
    }

    [Fact]
    public void Serialize_NullValue_IsATombstone()
    {
        Assert.Null(Factory(new InMemorySchemaRegistryClient()).CreateSpecificRecordSerializer().Serialize(null!, ValueOf("meter")));
    }
}
