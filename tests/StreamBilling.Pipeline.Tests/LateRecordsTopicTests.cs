using Avro.Generic;
using Avro.IO;
using StreamBilling.Contracts;
using StreamBilling.Contracts.Tests;
using StreamBilling.Events.Cdn;
using StreamBilling.Events.Media;
using StreamBilling.Events.Outputs;
using StreamBilling.Pipeline.Pricing;

namespace StreamBilling.Pipeline.Tests;

/// <summary>
/// An application's late-records topic takes records of several types (pricing: slices, CDN figures, JSON media run
/// edges, …). Each arrives inside one Avro <c>LateRecord</c> envelope, so the topic has one subject and anyone reads it
/// with the schema file alone; the original bytes inside replay to their source topic as they are.
/// </summary>
public sealed class LateRecordsTopicTests : IDisposable
{
    private readonly BillingDriver _billing = new();
    private readonly string _lateTopic = $"{new PricingOptions { RateCard = BillingDriver.Card }.ApplicationId}-late-records";

    [Fact]
    public async Task ThreeKindsOfLateRecord_ThroughOneApplication_AreOneEnvelopeTypeUnderOneSubject()
    {
        var (unpriceable, wrongSource) = SendThreeKinds();

        var late = await ReadPlainAsync();

        Assert.Equal(
            [("no-rate", Topics.UsageSegments), ("wrong-data-source", Topics.CdnCostExplorer), ("invalid-run", Topics.MediaConvertJobStarted)],
            late.Select(r => (((string)r["reason"]).Split(':')[0], (string)r["sourceTopic"])));
        Assert.Equal([_lateTopic + "-value"], (await _billing.Registry.GetAllSubjectsAsync()).Where(s => s.StartsWith(_lateTopic, StringComparison.Ordinal)));
        Assert.Equal(["UsageSegment", "CdnTraffic"], await Task.WhenAll(late.Take(2).Select(async r => Avro.Schema.Parse((await _billing.Registry.GetSchemaAsync((int)r["valueSchemaId"])).SchemaString).Name)));
        Assert.Null(late[2]["valueSchemaId"]);
        Assert.Equal(unpriceable.instanceId, _billing.Serdes.For<UsageSegment>().Deserialize((byte[])late[0]["value"], new Streams.SerdeContext(Topics.UsageSegments, false)).instanceId);
        Assert.Equal(
            _billing.Serdes.For<CdnTraffic>().Serialize(wrongSource, new Streams.SerdeContext(Topics.CdnCostExplorer, false)),
            (byte[])late[1]["value"]);
        Assert.Equal("mc-start", PipelineJson.Serde<MediaEdge>().Deserialize((byte[])late[2]["value"], new Streams.SerdeContext(_lateTopic, false)).EventId);
    }

    [Fact]
    public void EveryApplication_WritesItsLateTopicInTheAvroEnvelope()
    {
        var serdes = _billing.Serdes;
        Streams.Topology[] applications =
        [
            PipelineTopologies.BuildInstanceSessions(serdes), PipelineTopologies.BuildCdnCaps(serdes, TestCdnRegistry.Snapshot()), PipelineTopologies.BuildHourlyRollups(serdes),
            PipelineTopologies.BuildCdnUsageMessages(serdes), PricingTopology.Build(serdes, new PricingOptions { RateCard = BillingDriver.Card }), InvoiceTopology.Build(serdes, _billing.InvoiceOptions),
        ];

        Assert.All(applications, topology => Assert.Same(serdes.LateRecords, topology.LateRecordSerde));
    }

    [Fact]
    public async Task TwoRecordTypesUnderOneSubject_AreRefusedByTheRegistry()
    {
        // Why the envelope: with TopicNameStrategy each type a late topic took would claim <topic>-value, and the
        // registry's BACKWARD check refuses the second one (the in-memory registry as a real one does).
        var subject = _lateTopic + "-value";
        await _billing.Registry.RegisterSchemaAsync(subject, new Confluent.SchemaRegistry.Schema(UsageSegment._SCHEMA.ToString(), Confluent.SchemaRegistry.SchemaType.Avro));

        var refused = await Assert.ThrowsAsync<Confluent.SchemaRegistry.SchemaRegistryException>(
            () => _billing.Registry.RegisterSchemaAsync(subject, new Confluent.SchemaRegistry.Schema(CdnTraffic._SCHEMA.ToString(), Confluent.SchemaRegistry.SchemaType.Avro)));

        Assert.Equal(409, refused.ErrorCode);
    }

    public void Dispose() => _billing.Dispose();

    /// <summary>An unpriceable slice (Avro UsageSegment), a CloudWatch sample on the figure topic (Avro CdnTraffic) and a job that ends before it starts (a JSON media edge).</summary>
    private (UsageSegment Unpriceable, CdnTraffic WrongSource) SendThreeKinds()
    {
        var unpriceable = BillingDriver.Slice("s1", "i-1", "2024-08-01T10:00:00", "2024-08-01T10:00:00", "2024-08-01T10:30:00", type: "m9.huge");
        Assert.Empty(_billing.Price(unpriceable));
        var wrongSource = CdnEvents.CloudWatch("cw-1", "CUST001", T.At("2024-08-01T10:05:00Z"), 50);
        _billing.Pricing.CreateInputTopic(Topics.CdnCostExplorer, Streams.Serdes.Utf8, _billing.Serdes.For<CdnTraffic>())
            .PipeInput(wrongSource.customerId, wrongSource, T.At("2024-08-01T10:05:00Z"));
        var (start, end) = (T.At("2024-08-01T10:20:00Z"), T.At("2024-08-01T10:10:00Z"));
        _billing.Pricing.CreateInputTopic(Topics.MediaConvertJobFinished, Streams.Serdes.Utf8, _billing.Serdes.For<MediaConvertJobFinished>())
            .PipeInput("job-1", new MediaConvertJobFinished { eventId = "mc-end", source = "test", eventTime = end.UtcDateTime, accountId = "CUST001", jobId = "job-1", region = "us-east-1", outcome = MediaConvertJobOutcome.Completed }, end);
        _billing.Pricing.CreateInputTopic(Topics.MediaConvertJobStarted, Streams.Serdes.Utf8, _billing.Serdes.For<MediaConvertJobStarted>())
            .PipeInput("job-1", new MediaConvertJobStarted { eventId = "mc-start", source = "test", eventTime = start.UtcDateTime, accountId = "CUST001", jobId = "job-1", region = "us-east-1" }, start);
        return (unpriceable, wrongSource);
    }

    /// <summary>
    /// The late topic as a consumer without project code reads it: Confluent wire format, every record written with the
    /// LateRecord schema (checked before decoding, so another writer schema or a non-Avro value fails with its name).
    /// </summary>
    private async Task<List<GenericRecord>> ReadPlainAsync()
    {
        var schema = Avro.Schema.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Schemas, "StreamBilling.Events.Outputs.LateRecord.avsc")));
        var messages = _billing.Pricing.CreateOutputTopic(_lateTopic, Streams.Serdes.Utf8, Streams.Serdes.Bytes).ReadRecordsToList();
        var writers = new List<string>();
        foreach (var message in messages)
        {
            writers.Add(message.Value is [0, _, _, _, _, ..]
                ? Avro.Schema.Parse((await _billing.Registry.GetSchemaAsync(System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(message.Value.AsSpan(1, 4)))).SchemaString).Fullname
                : $"not Avro: {System.Text.Encoding.UTF8.GetString(message.Value)[..Math.Min(20, message.Value.Length)]}");
        }

        Assert.Equal(Enumerable.Repeat(schema.Fullname, messages.Count), writers);
        var reader = new GenericDatumReader<GenericRecord>(schema, schema);
        return [.. messages.Select(message =>
        {
            using var body = new MemoryStream(message.Value, 5, message.Value.Length - 5);
            return reader.Read(null!, new BinaryDecoder(body));
        })];
    }
}
