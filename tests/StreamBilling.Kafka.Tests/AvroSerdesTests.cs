using Confluent.Kafka;
using Microsoft.Extensions.Options;
using StreamBilling.Kafka.Tests.Records;

namespace StreamBilling.Kafka.Tests;

public sealed class AvroSerdesTests
{
    private sealed class UnusedCluster : IKafkaCluster
    {
        public string BootstrapServers => "unused:9092";

        public bool IsEmbedded => false;
    }

    private static KafkaClientFactory Factory(InMemorySchemaRegistryClient registry) =>
        new(new UnusedCluster(), registry, Options.Create(new KafkaOptions()), new KafkaTelemetry());

    [Fact]
    public async Task Serialize_RegistersSchemaUnderTopicValueSubject()
    {
        var registry = new InMemorySchemaRegistryClient();
        _ = Factory(registry).CreateAvroSerializer<MeterReading>()
            .Serialize(new MeterReading { ReadingId = "r1", CustomerId = "c1", Quantity = 5 }, new SerializationContext(MessageComponentType.Value, "meter"));
        Assert.Equal(["meter-value"], await registry.GetAllSubjectsAsync());
    }

    [Fact]
    public void SerializeThenDeserialize_PreservesEveryField()
    {
        var factory = Factory(new InMemorySchemaRegistryClient());
        var context = new SerializationContext(MessageComponentType.Value, "meter");
        var bytes = factory.CreateAvroSerializer<MeterReading>()
            .Serialize(new MeterReading { ReadingId = "r1", CustomerId = "c1", Quantity = 5, Note = "n" }, context);
        var back = factory.CreateAvroDeserializer<MeterReading>().Deserialize(bytes, false, context);
        Assert.Equal(("r1", "c1", 5L, "n"), (back.ReadingId, back.CustomerId, back.Quantity, back.Note));
    }

    [Fact]
    public async Task Serialize_UsesConfluentWireFormat()
    {
        var registry = new InMemorySchemaRegistryClient();
        var bytes = Factory(registry).CreateAvroSerializer<MeterReading>()
            .Serialize(new MeterReading { ReadingId = "r", CustomerId = "c" }, new SerializationContext(MessageComponentType.Value, "meter"));
        var id = await registry.GetSchemaIdAsync("meter-value", MeterReading.SchemaV1);
        Assert.Equal(0, bytes[0]);
        Assert.Equal(id, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(1, 4)));
    }
}
