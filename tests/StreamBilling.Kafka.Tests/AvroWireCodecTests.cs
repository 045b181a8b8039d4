using Confluent.Kafka;
using Confluent.Kafka.SyncOverAsync;
using Confluent.SchemaRegistry.Serdes;
using StreamBilling.Contracts.Serialization;
using StreamBilling.Kafka.Tests.Records;

namespace StreamBilling.Kafka.Tests;

/// <summary>The codec must be byte-compatible with Confluent's Avro serdes in both directions.</summary>
public sealed class AvroWireCodecTests
{
    private static readonly SerializationContext Value = new(MessageComponentType.Value, "meter");

    private static MeterReading Reading() => new() { ReadingId = "r-17", CustomerId = "CUST001", Quantity = 123_456_789_012, Note = "peak" };

    [Fact]
    public void Serialize_WritesTheSameBytesAsConfluentsSerializer()
    {
        var registry = new InMemorySchemaRegistryClient();
        var confluent = new AvroSerializer<MeterReading>(registry, new AvroSerializerConfig { AutoRegisterSchemas = true }).AsSyncOverAsync();

        var expected = confluent.Serialize(Reading(), Value);
        var actual = new AvroWireCodec<MeterReading>(registry).Serialize(Reading(), "meter");

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Deserialize_ReadsWhatConfluentsSerializerWrote()
    {
        var registry = new InMemorySchemaRegistryClient();
        var bytes = new AvroSerializer<MeterReading>(registry, new AvroSerializerConfig { AutoRegisterSchemas = true }).AsSyncOverAsync().Serialize(Reading(), Value);

        var back = new AvroWireCodec<MeterReading>(registry).Deserialize(bytes);

        Assert.Equal(("r-17", "CUST001", 123_456_789_012L, "peak"), (back.ReadingId, back.CustomerId, back.Quantity, back.Note));
    }

    [Fact]
    public async Task Deserialize_ResolvesAnOlderWriterSchemaById()
    {
        var registry = new InMemorySchemaRegistryClient();
        // A writer that did not have the optional note yet: the reader fills in its default.
        const string older = """
            {"type":"record","name":"MeterReading","namespace":"StreamBilling.Kafka.Tests.Records","fields":[
              {"name":"readingId","type":"string"},{"name":"customerId","type":"string"},{"name":"quantity","type":"long"}]}
            """;
        var id = await registry.RegisterSchemaAsync("meter-value", older);
        var payload = new List<byte> { 0 };
        payload.AddRange(BitConverter.IsLittleEndian ? BitConverter.GetBytes(id).Reverse() : BitConverter.GetBytes(id));
        // Avro binary: string "r1", string "c1", long 5 (zig-zag 10).
        payload.AddRange([4, (byte)'r', (byte)'1', 4, (byte)'c', (byte)'1', 10]);

        var back = new AvroWireCodec<MeterReading>(registry).Deserialize([.. payload]);

        Assert.Equal(("r1", "c1", 5L, (string?)null), (back.ReadingId, back.CustomerId, back.Quantity, back.Note));
    }

    [Fact]
    public void Deserialize_RejectsBytesThatAreNotWireFormat()
    {
        var codec = new AvroWireCodec<MeterReading>(new InMemorySchemaRegistryClient());
        Assert.Throws<InvalidDataException>(() => codec.Deserialize([1, 0, 0, 0, 1, 2]));
    }
}
