using Avro;
using Avro.Generic;
using Avro.IO;
using StreamBilling.Billing.RateCards;
using StreamBilling.Contracts;
using StreamBilling.Contracts.Tests;
using StreamBilling.Events.Common;
using StreamBilling.Events.Ec2;
using StreamBilling.Events.Outputs;
using StreamBilling.Kafka;
using StreamBilling.Pipeline.Pricing;
using StreamBilling.Streams.Testing;

namespace StreamBilling.Pipeline.Tests;

/// <summary>
/// Reads <c>billing.priced-lines</c> as a consumer outside the project would: the Confluent wire format decoded with the
/// schema files of <c>schemas/</c> and Apache.Avro's generic reader, no generated class and no project serde.
/// </summary>
public sealed class PricedLinesConsumerTests : IDisposable
{
    private readonly TopologyTestDriver _driver;
    private readonly AvroSerdes _serdes = new(new InMemorySchemaRegistryClient());
    private readonly TestOutputTopic<string, byte[]> _pricedLines;

    public PricedLinesConsumerTests()
    {
        _driver = new TopologyTestDriver(PricingTopology.Build(_serdes, new PricingOptions { RateCard = RateCard.Load(Path.Combine(RepositoryPaths.Root, "infra", "rate-card.json")) }));
        _pricedLines = _driver.CreateOutputTopic(Topics.PricedLines, Streams.Serdes.Utf8, Streams.Serdes.Bytes);
    }

    [Fact]
    public void SpotInstance_ReadWithThePlainSchema_IsSpot()
    {
        var slice = BillingDriver.Slice("s1", "i-spot", "2024-08-01T10:00:00", "2024-08-01T10:00:00", "2024-08-01T11:00:00", type: "t3.micro");
        slice.purchaseOption = PurchaseOption.Spot;
        _driver.CreateInputTopic(Topics.UsageSegments, Streams.Serdes.Utf8, _serdes.For<UsageSegment>())
            .PipeInput(slice.accountId, slice, T.At("2024-08-01T10:00:00Z"));

        var line = Assert.Single(ReadPlain());

        Assert.Equal(("Ec2", "Spot", "Linux"), (Symbol(line, "service"), Symbol(line, "purchaseOption"), Symbol(line, "os")));
    }

    [Fact]
    public void Reservation_ReadWithThePlainSchema_IsReserved()
    {
        var purchase = Ec2Events.Reservation("t3.micro", OperatingSystemType.Windows, "2021-02-01T00:00:00", "2021-03-01T00:00:00");
        _driver.CreateInputTopic(Topics.ReservedInstancePurchased, Streams.Serdes.Utf8, _serdes.For<ReservedInstancePurchased>())
            .PipeInput(purchase.accountId, purchase, T.At("2021-02-01T00:00:00Z"));

        var line = Assert.Single(ReadPlain());

        Assert.Equal(("ReservedInstance", "Reserved", "Windows"), (Symbol(line, "service"), Symbol(line, "purchaseOption"), Symbol(line, "os")));
    }

    public void Dispose() => _driver.Dispose();

    /// <summary>The symbol of an enum field (or of the enum branch of a nullable one).</summary>
    private static string? Symbol(GenericRecord record, string field) => (record[field] as GenericEnum)?.Value;

    private List<GenericRecord> ReadPlain()
    {
        var schema = PlainSchema("StreamBilling.Events.Outputs.PricedLineItem", "StreamBilling.Events.Common.ServiceKind", "StreamBilling.Events.Common.OperatingSystemType", "StreamBilling.Events.Common.PurchaseOption");
        var reader = new GenericDatumReader<GenericRecord>(schema, schema);
        var records = new List<GenericRecord>();
        foreach (var message in _pricedLines.ReadRecordsToList())
        {
            // Confluent wire format: magic byte 0, a 4-byte schema id, then the Avro binary body.
            Assert.Equal(0, message.Value[0]);
            using var body = new MemoryStream(message.Value, 5, message.Value.Length - 5);
            records.Add(reader.Read(null!, new BinaryDecoder(body)));
        }

        return records;
    }

    /// <summary>The record schema of <paramref name="record"/>'s file in <c>schemas/</c>, after the named types it references.</summary>
    private static Schema PlainSchema(string record, params string[] references)
    {
        var names = new SchemaNames();
        foreach (var name in references)
        {
            names.Add((NamedSchema)Schema.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Schemas, name + ".avsc"))));
        }

        return Schema.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Schemas, record + ".avsc")), names, null);
    }
}
