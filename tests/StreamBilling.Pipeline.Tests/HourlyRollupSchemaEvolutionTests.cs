using System.Buffers.Binary;
using System.Text.Json.Nodes;
using StreamBilling.Contracts;
using StreamBilling.Events.Outputs;
using StreamBilling.Kafka;
using StreamBilling.Pipeline.Rollups;
using StreamBilling.Storage;
using StreamBilling.Streams;
using static StreamBilling.Pipeline.Tests.RollupDriver;

namespace StreamBilling.Pipeline.Tests;

/// <summary>
/// <c>HourlyRollup</c> gained <c>customerId</c> (default <c>""</c>): the registry takes the new schema as BACKWARD
/// compatible with the one before, and a record written with the one before reads back as a rollup of no account.
/// </summary>
public sealed class HourlyRollupSchemaEvolutionTests
{
    private static readonly SerdeContext OnTheTopic = new(Topics.HourlyRollups, false);

    [Fact]
    public async Task ARecordWrittenBeforeCustomerId_ReadsBackWithNoAccount_AndIsStoredUnderIt()
    {
        var registry = new InMemorySchemaRegistryClient();
        var previousId = await registry.RegisterSchemaAsync(Topics.HourlyRollups + "-value", PreviousSchema());
        var serde = new AvroSerdes(registry).For<HourlyRollup>();
        using var rollups = new RollupDriver();
        rollups.Pipe(Segment("s-1", "2024-08-01T10:00:00Z", "2024-08-01T10:30:00Z", account: RollupRow.NoAccount));
        var rollup = Assert.Single(rollups.Read()).Value;

        // Registering the current schema under the subject that holds the previous one runs the BACKWARD check.
        var current = serde.Serialize(rollup, OnTheTopic)!;

        // The previous schema's encoding is the current one without the last field ("" is one byte, its length 0), under the previous id.
        Assert.Equal(0, current[^1]);
        var previous = current[..^1];
        BinaryPrimitives.WriteInt32BigEndian(previous.AsSpan(1), previousId);
        Assert.NotEqual(previousId, BinaryPrimitives.ReadInt32BigEndian(current.AsSpan(1)));

        var read = serde.Deserialize(previous, OnTheTopic);

        Assert.Equal((RollupRow.NoAccount, rollup.eventId, rollup.partitionKey, rollup.lineCount), (read.customerId, read.eventId, read.partitionKey, read.lineCount));
        Assert.Equal(RollupRow.NoAccount, RollupSink.ToRow(read).CustomerId);
    }

    /// <summary>The current schema without its last field, <c>customerId</c>: the schema before accounts.</summary>
    private static string PreviousSchema()
    {
        var schema = JsonNode.Parse(HourlyRollup._SCHEMA.ToString())!.AsObject();
        var fields = schema["fields"]!.AsArray();
        Assert.Equal("customerId", fields[^1]!["name"]!.GetValue<string>());
        fields.RemoveAt(fields.Count - 1);
        return schema.ToJsonString();
    }
}
