using System.Buffers.Binary;
using System.Numerics;
using System.Text.Json.Nodes;
using Avro;
using Avro.IO;
using Avro.Specific;
using Confluent.Kafka;
using Confluent.Kafka.SyncOverAsync;
using Confluent.SchemaRegistry.Serdes;
using StreamBilling.Contracts.Serialization;
using StreamBilling.Events.Common;
using StreamBilling.Events.Outputs;
using StreamBilling.Kafka.Tests.Records;

namespace StreamBilling.Kafka.Tests;

/// <summary>
/// <see cref="AvroWireCodec{T}"/> on generated contract classes: written by their generated code, read by it when the writer
/// schema is the class's own, and by Apache.Avro's resolving reader otherwise; Confluent's serdes agree in both directions.
/// </summary>
public sealed class AvroWireCodecGeneratedCodeTests
{
    private const string Topic = "billing.priced-lines";

    [Fact]
    public void Codec_GeneratedClass_HasGeneratedCode_HandWrittenClassDoesNot()
    {
        var registry = new InMemorySchemaRegistryClient();

        Assert.True(new AvroWireCodec<PricedLineItem>(registry).HasGeneratedCode);
        Assert.False(new AvroWireCodec<MeterReading>(registry).HasGeneratedCode);
    }

    [Fact]
    public void Serialize_PricedLineItem_SameBytesAsConfluentsSerializer()
    {
        var registry = new InMemorySchemaRegistryClient();
        var expected = ConfluentSerializer<PricedLineItem>(registry).Serialize(Line(), Context(Topic));

        var actual = new AvroWireCodec<PricedLineItem>(registry).Serialize(Line(), Topic);

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Serialize_InvoiceWithNestedLines_SameBytesAsConfluentsSerializer()
    {
        var registry = new InMemorySchemaRegistryClient();
        var expected = ConfluentSerializer<Invoice>(registry).Serialize(Invoice(), Context("billing.invoices"));

        var actual = new AvroWireCodec<Invoice>(registry).Serialize(Invoice(), "billing.invoices");

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Deserialize_ConfluentBytesOfTheClassSchema_ReadWithGeneratedCode()
    {
        var registry = new InMemorySchemaRegistryClient();
        var bytes = ConfluentSerializer<PricedLineItem>(registry).Serialize(Line(), Context(Topic));
        var codec = new AvroWireCodec<PricedLineItem>(registry);

        var back = codec.Deserialize(bytes);

        Assert.True(codec.ReadsWithGeneratedCode(SchemaId(bytes)));
        Assert.Equal(AvroBinary(Line()), AvroBinary(back));
    }

    [Fact]
    public void Deserialize_Span_ReadsTheSameRecordAsTheArray()
    {
        var registry = new InMemorySchemaRegistryClient();
        var codec = new AvroWireCodec<Invoice>(registry);
        var bytes = codec.Serialize(Invoice(), "billing.invoices");

        var fromSpan = codec.Deserialize(new ReadOnlySpan<byte>(bytes));

        Assert.Equal(AvroBinary(codec.Deserialize(bytes)), AvroBinary(fromSpan));
        Assert.Equal(AvroBinary(Invoice()), AvroBinary(fromSpan));
    }

    [Fact]
    public void ConfluentDeserializer_ReadsWhatTheGeneratedCodeWrote()
    {
        var registry = new InMemorySchemaRegistryClient();
        var bytes = new AvroWireCodec<Invoice>(registry).Serialize(Invoice(), "billing.invoices");

        var back = new AvroDeserializer<Invoice>(registry).AsSyncOverAsync().Deserialize(bytes, false, Context("billing.invoices"));

        Assert.Equal(AvroBinary(Invoice()), AvroBinary(back));
    }

    [Fact]
    public async Task Deserialize_OlderWriterSchema_ResolvesWithApacheAvroAndFillsTheDefault()
    {
        var registry = new InMemorySchemaRegistryClient();

        // The schema before isVolumeTierCorrection (the last field, default false) existed: the Avro binary of a line is the current
        // one without its last byte (a boolean).
        var older = JsonNode.Parse(PricedLineItem._SCHEMA.ToString())!.AsObject();
        var fields = older["fields"]!.AsArray();
        Assert.Equal("isVolumeTierCorrection", fields[^1]!["name"]!.GetValue<string>());
        fields.RemoveAt(fields.Count - 1);
        var olderId = await registry.RegisterSchemaAsync(Topic + "-value", older.ToJsonString());
        var line = Line();
        line.isVolumeTierCorrection = true;
        var current = AvroBinary(line);
        var payload = WireFormat(olderId, current[..^1]);
        var codec = new AvroWireCodec<PricedLineItem>(registry);

        var back = codec.Deserialize(payload);

        Assert.False(codec.ReadsWithGeneratedCode(olderId));
        Assert.False(back.isVolumeTierCorrection);
        line.isVolumeTierCorrection = false;
        Assert.Equal(AvroBinary(line), AvroBinary(back));
    }

    [Fact]
    public async Task Deserialize_WriterSchemaDifferingOnlyInADoc_ResolvesWithApacheAvro()
    {
        // Only T's exact schema goes to the generated code; anything else, however harmless, takes the resolving path.
        var registry = new InMemorySchemaRegistryClient();
        var otherDoc = JsonNode.Parse(PricedLineItem._SCHEMA.ToString())!.AsObject();
        otherDoc["doc"] = "Another doc.";
        var id = await registry.RegisterSchemaAsync(Topic + "-value", otherDoc.ToJsonString());
        var codec = new AvroWireCodec<PricedLineItem>(registry);

        var back = codec.Deserialize(WireFormat(id, AvroBinary(Line())));

        Assert.False(codec.ReadsWithGeneratedCode(id));
        Assert.Equal(AvroBinary(Line()), AvroBinary(back));
    }

    private static PricedLineItem Line() => new()
    {
        eventId = "pl-1",
        source = "streambilling.pricing",
        accountId = "CUST001",
        service = ServiceKind.Ec2,
        region = "eu-west-3",
        role = "Admin",
        resourceId = "i-0abc",
        usageType = "BoxUsage:t3.micro:Linux",
        billingMonth = "2024-08",
        usageStart = new DateTime(2024, 8, 15, 10, 0, 0, DateTimeKind.Utc),
        usageEnd = new DateTime(2024, 8, 15, 11, 0, 0, DateTimeKind.Utc),
        instanceType = null,
        os = OperatingSystemType.Linux,
        usedSeconds = 3600,
        quantity = new AvroDecimal(new BigInteger(1_000_000_000), 9),
        unit = "Hours",
        rate = new AvroDecimal(new BigInteger(-10_400_000_000), 12),
        amount = new AvroDecimal(BigInteger.Parse("123456789012345678", System.Globalization.CultureInfo.InvariantCulture), 6),
        currency = "€ EUR",
        rateCardVersion = "2024-07",
        sourceEventIds = ["launch-1", "terminate-1", "répété"],
        purchaseOption = null,
        pieceStart = new DateTime(2024, 8, 1, 0, 0, 0, DateTimeKind.Utc),
        freeTierEligible = false,
        isRetraction = false,
    };

    private static Invoice Invoice() => new()
    {
        eventId = "inv-1",
        source = "streambilling.invoicing",
        invoiceId = "INV-2024-08-CUST001",
        customerId = "CUST001",
        customerName = "Société Générale d'Électricité",
        billingMonth = "2024-08",
        periodStart = new DateTime(2024, 8, 1, 0, 0, 0, DateTimeKind.Utc),
        periodEnd = new DateTime(2024, 9, 1, 0, 0, 0, DateTimeKind.Utc),
        status = InvoiceStatus.Final,
        revision = 2,
        issuedAt = new DateTime(2024, 9, 1, 0, 5, 0, DateTimeKind.Utc),
        currency = "USD",
        totalAmount = new AvroDecimal(new BigInteger(12_340_000), 6),
        totalDiscount = new AvroDecimal(BigInteger.Zero, 6),
        actualAmount = new AvroDecimal(new BigInteger(12_340_000), 6),
        lines = [Line(1), Line(2)],
    };

    private static InvoiceLine Line(int number)
    {
        var line = new InvoiceLine();
        foreach (var field in ((RecordSchema)line.Schema).Fields)
        {
            line.Put(field.Pos, SampleValue(field.Schema, number));
        }

        return line;
    }

    // Invoice lines are generated (their fields may change); any valid value per field is enough here.
    private static object? SampleValue(Avro.Schema schema, int number) => schema switch
    {
        UnionSchema => null,
        LogicalSchema { LogicalTypeName: "decimal" } logical => new AvroDecimal(new BigInteger(-1234 * number), int.Parse(logical.GetProperty("scale")!, System.Globalization.CultureInfo.InvariantCulture)),
        LogicalSchema => new DateTime(2024, 8, number, 0, 0, 0, DateTimeKind.Utc),
        EnumSchema enumSchema => Enum.ToObject(typeof(ServiceKind).Assembly.GetType(enumSchema.Fullname, throwOnError: true)!, enumSchema.Count - 2), // the last symbol before the default
        ArraySchema => new List<string> { "e-" + number },
        PrimitiveSchema { Tag: Avro.Schema.Type.String } => "line " + number + " ✓",
        PrimitiveSchema { Tag: Avro.Schema.Type.Long } => long.MaxValue - number,
        PrimitiveSchema { Tag: Avro.Schema.Type.Int } => -number,
        PrimitiveSchema { Tag: Avro.Schema.Type.Boolean } => number % 2 == 0,
        _ => throw new NotSupportedException("No sample value for " + schema),
    };

    private static ISerializer<T> ConfluentSerializer<T>(InMemorySchemaRegistryClient registry) =>
        new AvroSerializer<T>(registry, new AvroSerializerConfig { AutoRegisterSchemas = true }).AsSyncOverAsync();

    private static SerializationContext Context(string topic) => new(MessageComponentType.Value, topic);

    private static int SchemaId(byte[] wireFormat) => BinaryPrimitives.ReadInt32BigEndian(wireFormat.AsSpan(1, 4));

    private static byte[] WireFormat(int schemaId, byte[] avroBinary)
    {
        var bytes = new byte[5 + avroBinary.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(1, 4), schemaId);
        avroBinary.CopyTo(bytes, 5);
        return bytes;
    }

    /// <summary>Apache.Avro's encoding of a record: compares records as bytes (printing Avro objects on failure can overflow the stack).</summary>
    private static byte[] AvroBinary<T>(T record)
        where T : ISpecificRecord
    {
        using var stream = new MemoryStream();
        new SpecificDatumWriter<T>(record.Schema).Write(record, new BinaryEncoder(stream));
        return stream.ToArray();
    }
}
