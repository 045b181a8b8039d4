using System.Text;
using System.Text.Json;
using Avro;
using Json.Schema;
using StreamBilling.Contracts;
using StreamBilling.Events.Cdn;
using StreamBilling.Events.Outputs;
using StreamBilling.Kafka;
using StreamBilling.Streams;
using StreamBilling.Streams.Testing;
using static StreamBilling.Pipeline.Tests.CdnEvents;

namespace StreamBilling.Pipeline.Tests;

/// <summary>
/// The billing system's side of the CDN usage contract: what it reads from <see cref="Topics.CdnUsageEvents"/> is JSON
/// valid against <c>schemas/json/cdn-usage-event.schema.json</c>, read here with a JSON parser alone, and carries the same id
/// and figures as the Avro message.
/// </summary>
public sealed class CdnUsageEventContractTests : IDisposable
{
    private static readonly DateTimeOffset Day1 = T.At("2024-08-01T00:00:00Z");
    private static readonly Lazy<JsonSchema> Schema = new(() =>
        JsonSchema.FromText(File.ReadAllText(Path.Combine(RepositoryRoot(), "schemas", "json", "cdn-usage-event.schema.json"))));

    private readonly AvroSerdes _serdes = new(new InMemorySchemaRegistryClient());
    private readonly TopologyTestDriver _driver;
    private readonly TestInputTopic<string, CdnTraffic> _traffic;
    private readonly TestOutputTopic<string, CdnUsageBillingMessage> _avro;
    private readonly TestOutputTopic<string, byte[]> _json;

    public CdnUsageEventContractTests()
    {
        _driver = new TopologyTestDriver(PipelineTopologies.BuildCdnUsageMessages(_serdes));
        _traffic = _driver.CreateInputTopic(Topics.CdnCostExplorer, Serdes.Utf8, _serdes.For<CdnTraffic>());
        _avro = _driver.CreateOutputTopic(Topics.CdnUsageMessages, Serdes.Utf8, _serdes.For<CdnUsageBillingMessage>());
        _json = _driver.CreateOutputTopic(Topics.CdnUsageEvents, Serdes.Utf8, Serdes.Bytes);
    }

    public void Dispose() => _driver.Dispose();

    [Fact]
    public void EachSettledPeriod_IsOneJsonMessage_ValidAgainstTheSchema_WithTheAvroMessagesIdAndFigures()
    {
        _traffic.PipeInput("c1", CostExplorer("ce-1", "c1", Day1, Day1.AddDays(1), 1_234_567_891), Day1.AddDays(1));
        _traffic.PipeInput("c1", CostExplorer("ce-2", "c1", Day1.AddDays(1), Day1.AddDays(2), 0), Day1.AddDays(2));
        _traffic.PipeInput("c2", CostExplorer("ce-3", "c2", Day1.AddDays(2).AddHours(2), Day1.AddDays(2).AddHours(3), 7), Day1.AddDays(2).AddHours(2));

        var avro = _avro.ReadRecordsToList();
        var json = _json.ReadRecordsToList();

        Assert.Equal(avro.Select(r => (r.Key, r.Id)), json.Select(r => (r.Key, r.Id)));
        var first = JsonDocument.Parse(json[0].Value);
        Assert.Equal(
            $$$"""{"type":"EVENT_CDN_USAGE","payload":{"id":"{{{avro[0].Value.payload.id}}}","customerId":"c1","startPeriod":"2024-08-01T00:00:00Z","endPeriod":"2024-08-02T00:00:00Z","trafficUsageGb":"1.234567891"}}""",
            Encoding.UTF8.GetString(json[0].Value));
        foreach (var record in json)
        {
            var result = Schema.Value.Evaluate(JsonDocument.Parse(record.Value).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
            Assert.True(result.IsValid, Encoding.UTF8.GetString(record.Value));
        }

        Assert.Equal("c1", first.RootElement.GetProperty("payload").GetProperty("customerId").GetString());
        Assert.Equal(AvroDecimal.ToDecimal(avro[0].Value.payload.trafficUsageGb), decimal.Parse(first.RootElement.GetProperty("payload").GetProperty("trafficUsageGb").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("""{"type":"EVENT_CDN_USAGE","payload":{"id":"0123456789abcdef0123456789abcdef","customerId":"c1","startPeriod":"2024-08-01T00:00:00Z","endPeriod":"2024-08-02T00:00:00Z","trafficUsageGb":1.5}}""")]
    [InlineData("""{"type":"EVENT_CDN_USAGE","payload":{"id":"0123456789abcdef0123456789abcdef","customerId":"c1","startPeriod":"2024-08-01T02:00:00+02:00","endPeriod":"2024-08-02T00:00:00Z","trafficUsageGb":"1.500000000"}}""")]
    [InlineData("""{"type:":"EVENT_CDN_USAGE","payload":{"id":"0123456789abcdef0123456789abcdef","customerId":"c1","startPeriod":"2024-08-01T00:00:00Z","endPeriod":"2024-08-02T00:00:00Z","trafficUsageGb":"1.500000000"}}""")]
    public void TheSchema_RefusesAFloatAmountALocalTimeAndTheSeedsTypo(string message) =>
        Assert.False(Schema.Value.Evaluate(JsonDocument.Parse(message).RootElement, new EvaluationOptions { RequireFormatValidation = true }).IsValid);

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "StreamBilling.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("StreamBilling.sln not found above " + AppContext.BaseDirectory);
    }
}
