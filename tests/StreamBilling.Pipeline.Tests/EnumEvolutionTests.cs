using System.Buffers.Binary;
using System.Text.Json.Nodes;
using Avro;
using Avro.Generic;
using Avro.IO;
using StreamBilling.Billing.RateCards;
using StreamBilling.Contracts;
using StreamBilling.Contracts.Serialization;
using StreamBilling.Contracts.Tests;
using StreamBilling.Events.Common;
using StreamBilling.Events.Outputs;
using StreamBilling.Kafka;
using StreamBilling.Pipeline.Pricing;
using StreamBilling.Streams.Testing;

namespace StreamBilling.Pipeline.Tests;

/// <summary>
/// A wire enum gains a symbol (a newer producer bills a new service): readers built from today's schema files must not
/// break on it (they read the enum's default, <c>Unknown</c>), while this program's own readers refuse the record with the
/// symbol named, so it is dead-lettered rather than billed as some other service.
/// </summary>
public sealed class EnumEvolutionTests : IDisposable
{
    private const string Subject = Topics.PricedLines + "-value";
    private static readonly string[] References = ["StreamBilling.Events.Common.ServiceKind", "StreamBilling.Events.Common.OperatingSystemType", "StreamBilling.Events.Common.PurchaseOption"];

    private readonly InMemorySchemaRegistryClient _registry = new();
    private readonly TopologyTestDriver _driver;
    private readonly RecordSchema _current = (RecordSchema)PlainSchema();
    private readonly RecordSchema _newer;
    private readonly byte[] _line;

    public EnumEvolutionTests()
    {
        var serdes = new AvroSerdes(_registry);
        _driver = new TopologyTestDriver(PricingTopology.Build(serdes, new PricingOptions { RateCard = RateCard.Load(Path.Combine(RepositoryPaths.Root, "infra", "rate-card.json")) }));
        var slice = BillingDriver.Slice("s1", "i-1", "2024-08-01T10:00:00", "2024-08-01T10:00:00", "2024-08-01T11:00:00", type: "t3.micro");
        _driver.CreateInputTopic(Topics.UsageSegments, Streams.Serdes.Utf8, serdes.For<UsageSegment>()).PipeInput(slice.accountId, slice, T.At("2024-08-01T10:00:00Z"));
        _newer = (RecordSchema)WithSymbol(_current, "ServiceKind", "Lambda");
        _line = _driver.CreateOutputTopic(Topics.PricedLines, Streams.Serdes.Utf8, Streams.Serdes.Bytes).ReadRecordsToList().Single().Value;
    }

    [Fact]
    public void NewSymbol_ReadByAConsumerWithTodaysSchemaFiles_IsTheDefaultUnknown()
    {
        var bytes = WriteNewer("Lambda");

        using var body = new MemoryStream(bytes, 5, bytes.Length - 5);
        var line = new GenericDatumReader<GenericRecord>(_newer, _current).Read(null!, new BinaryDecoder(body));

        Assert.Equal("Unknown", ((GenericEnum)line["service"]).Value);
    }

    [Fact]
    public void NewSymbol_ReadByThisProgram_IsRefusedNamingTheSymbol()
    {
        var codec = new AvroWireCodec<PricedLineItem>(_registry);

        var error = Assert.Throws<InvalidDataException>(() => codec.Deserialize(WriteNewer("Lambda")));

        Assert.Contains("Lambda", error.Message, StringComparison.Ordinal);
        Assert.Equal(ServiceKind.Ec2, codec.Deserialize(WriteNewer("Ec2")).service);
    }

    [Fact]
    public void TheDefaultSymbol_IsNeverWrittenNorReadByThisProgram()
    {
        var codec = new AvroWireCodec<PricedLineItem>(_registry);
        var bytes = _line;
        var line = codec.Deserialize(bytes);
        line.service = ServiceKind.Unknown;

        Assert.Throws<AvroTypeException>(() => codec.Serialize(line, Topics.PricedLines));

        // The same schema id with the default's ordinal in place of Ec2's (the service is the record's first enum).
        using var body = new MemoryStream(bytes, 5, bytes.Length - 5);
        var generic = new GenericDatumReader<GenericRecord>(_current, _current).Read(null!, new BinaryDecoder(body));
        generic.Add("service", new GenericEnum((EnumSchema)_current["service"].Schema, "Unknown"));
        var forged = Frame(BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(1, 4)), generic, _current);
        Assert.Throws<AvroException>(() => codec.Deserialize(forged));
    }

    [Fact]
    public async Task Registry_TakesTheNewSymbolBothWays_AndTheUpgradeFromSchemasWithoutADefault()
    {
        var withoutDefault = WithoutDefaults(_current);
        var registry = new InMemorySchemaRegistryClient();

        // Today's schemas replace the ones without a default under the registry's default BACKWARD check.
        await registry.RegisterSchemaAsync("upgrade", Avro(withoutDefault));
        Assert.Empty(registry.GetCompatibilityProblems("upgrade", Avro(_current)));

        // With the default, a new symbol is FULL compatible: new readers read old data and old readers new data.
        await registry.UpdateCompatibilityAsync(Confluent.SchemaRegistry.Compatibility.Full, "evolve");
        await registry.RegisterSchemaAsync("evolve", Avro(_current));
        Assert.Empty(registry.GetCompatibilityProblems("evolve", Avro(_newer)));

        // Without it, an old reader could not take the new symbol.
        await registry.UpdateCompatibilityAsync(Confluent.SchemaRegistry.Compatibility.Full, "no-default");
        await registry.RegisterSchemaAsync("no-default", Avro(withoutDefault));
        Assert.Contains(registry.GetCompatibilityProblems("no-default", Avro(WithSymbol(withoutDefault, "ServiceKind", "Lambda"))), p => p.Contains("Lambda", StringComparison.Ordinal));
    }

    public void Dispose() => _driver.Dispose();

    /// <summary>Today's priced line, its service set to <paramref name="symbol"/>, in the wire format of the newer schema (registered).</summary>
    private byte[] WriteNewer(string symbol)
    {
        using var body = new MemoryStream(_line, 5, _line.Length - 5);
        var line = new GenericDatumReader<GenericRecord>(_current, _newer).Read(null!, new BinaryDecoder(body));
        line.Add("service", new GenericEnum((EnumSchema)_newer["service"].Schema, symbol));
        var id = _registry.RegisterSchemaAsync(Subject, Avro(_newer)).GetAwaiter().GetResult();
        return Frame(id, line, _newer);
    }

    private static Confluent.SchemaRegistry.Schema Avro(Schema schema) => new(schema.ToString(), Confluent.SchemaRegistry.SchemaType.Avro);

    private static byte[] Frame(int schemaId, GenericRecord record, Schema schema)
    {
        using var stream = new MemoryStream();
        stream.WriteByte(0);
        Span<byte> id = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(id, schemaId);
        stream.Write(id);
        new GenericDatumWriter<GenericRecord>(schema).Write(record, new BinaryEncoder(stream));
        return stream.ToArray();
    }

    /// <summary><paramref name="schema"/> with <paramref name="symbol"/> added to the enum <paramref name="enumName"/>, before its default (if any).</summary>
    private static Schema WithSymbol(Schema schema, string enumName, string symbol) =>
        EditEnums(schema, (name, symbols, _) =>
        {
            if (name == enumName)
            {
                symbols.Insert(symbols.Any(s => (string?)s == "Unknown") ? symbols.Count - 1 : symbols.Count, symbol);
            }
        });

    /// <summary><paramref name="schema"/> as it was before its enums had a default symbol.</summary>
    private static Schema WithoutDefaults(Schema schema) =>
        EditEnums(schema, (_, symbols, enumObject) =>
        {
            symbols.RemoveAt(symbols.Count - 1);
            enumObject.Remove("default");
        });

    private static Schema EditEnums(Schema schema, Action<string, JsonArray, JsonObject> edit)
    {
        var root = JsonNode.Parse(schema.ToString())!;
        Visit(root);
        return Schema.Parse(root.ToJsonString());

        void Visit(JsonNode? node)
        {
            if (node is JsonObject obj)
            {
                if (obj["type"] is JsonValue type && type.TryGetValue<string>(out var kind) && kind == "enum")
                {
                    edit((string)obj["name"]!, (JsonArray)obj["symbols"]!, obj);
                }

                foreach (var (_, child) in obj.ToList())
                {
                    Visit(child);
                }
            }
            else if (node is JsonArray array)
            {
                foreach (var child in array.ToList())
                {
                    Visit(child);
                }
            }
        }
    }

    private static Schema PlainSchema()
    {
        var names = new SchemaNames();
        foreach (var name in References)
        {
            names.Add((NamedSchema)Schema.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Schemas, name + ".avsc"))));
        }

        return Schema.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Schemas, "StreamBilling.Events.Outputs.PricedLineItem.avsc")), names, null);
    }
}
