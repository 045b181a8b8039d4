using System.Numerics;
using Avro;
using StreamBilling.Contracts;
using StreamBilling.Events.Common;
using StreamBilling.Events.Outputs;
using StreamBilling.Kafka;
using StreamBilling.Pipeline.Rollups;
using StreamBilling.Streams.Testing;

namespace StreamBilling.Pipeline.Tests;

/// <summary>The HourlyRollups topology in a test driver with real Avro serdes, and builders of its inputs.</summary>
internal sealed class RollupDriver : IDisposable
{
    private readonly TestInputTopic<string, UsageSegment> _segments;
    private readonly TestInputTopic<string, PricedLineItem> _lines;
    private readonly TestOutputTopic<string, HourlyRollup> _rollups;

    public RollupDriver(HourlyRollupOptions? options = null)
    {
        Serdes = new AvroSerdes(new InMemorySchemaRegistryClient());
        Driver = new TopologyTestDriver(PipelineTopologies.BuildHourlyRollups(Serdes, options));
        _segments = Driver.CreateInputTopic(Topics.UsageSegments, Streams.Serdes.Utf8, Serdes.For<UsageSegment>());
        _lines = Driver.CreateInputTopic(Topics.PricedLines, Streams.Serdes.Utf8, Serdes.For<PricedLineItem>());
        _rollups = Driver.CreateOutputTopic(Topics.HourlyRollups, Streams.Serdes.Utf8, Serdes.For<HourlyRollup>());
    }

    public AvroSerdes Serdes { get; }

    public TopologyTestDriver Driver { get; }

    /// <summary>Pipes a segment, timestamped at its end unless told otherwise.</summary>
    public void Pipe(UsageSegment segment, DateTimeOffset? at = null) =>
        _segments.PipeInput(segment.accountId, segment, at ?? new DateTimeOffset(segment.segmentEnd, TimeSpan.Zero));

    public void Pipe(PricedLineItem line, DateTimeOffset? at = null) =>
        _lines.PipeInput(line.accountId, line, at ?? new DateTimeOffset(line.usageEnd, TimeSpan.Zero));

    /// <summary>Pipes a priced line under a key of the producer's choosing (the topic's contract is the account).</summary>
    public void PipeKeyed(string key, PricedLineItem line) =>
        _lines.PipeInput(key, line, new DateTimeOffset(line.usageEnd, TimeSpan.Zero));

    /// <summary>Pipes segments as one batch (one commit), each timestamped at its end.</summary>
    public void PipeBatch(params UsageSegment[] segments) =>
        _segments.PipeBatch(segments.Select(s => new Streams.Testing.TestRecord<string, UsageSegment>(s.accountId, s, new DateTimeOffset(s.segmentEnd, TimeSpan.Zero))));

    public IReadOnlyList<Streams.Testing.TestRecord<string, HourlyRollup>> Read() => _rollups.ReadRecordsToList();

    public void Dispose() => Driver.Dispose();

    /// <summary>What an upserting sink holds: the latest rollup per id.</summary>
    public static IReadOnlyList<HourlyRollup> Latest(IEnumerable<Streams.Testing.TestRecord<string, HourlyRollup>> records)
    {
        var latest = new Dictionary<string, HourlyRollup>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            latest[record.Id!] = record.Value;
        }

        return [.. latest.Values.OrderBy(r => r.partitionKey, StringComparer.Ordinal).ThenBy(r => r.hourStart)];
    }

    public static UsageSegment Segment(string id, string start, string end, string region = "us-east-1", string role = "Admin", string instance = "i-1", string account = "acct-1") => new()
    {
        eventId = id,
        source = "test",
        accountId = account,
        sessionId = instance + "/l1",
        instanceId = instance,
        instanceType = "t3.micro",
        region = region,
        role = role,
        os = OperatingSystemType.Linux,
        purchaseOption = PurchaseOption.OnDemand,
        sessionStart = T.Utc(start),
        sessionEnd = null,
        segmentStart = T.Utc(start),
        segmentEnd = T.Utc(end),
        isFinal = false,
        sourceEventIds = ["l1"],
    };

    public static PricedLineItem Line(string id, string start, decimal amount, string region = "us-east-1", string role = "Admin", string currency = "USD", string account = "acct-1") => new()
    {
        eventId = id,
        source = "test",
        accountId = account,
        service = ServiceKind.Ec2,
        region = region,
        role = role,
        resourceId = "i-1",
        usageType = "BoxUsage:t3.micro:Linux",
        billingMonth = T.At(start).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture),
        usageStart = T.Utc(start),
        usageEnd = T.Utc(start).AddHours(1),
        instanceType = "t3.micro",
        os = OperatingSystemType.Linux,
        usedSeconds = 3600,
        quantity = new AvroDecimal(new BigInteger(1_000_000_000), 9),
        unit = "Hours",
        rate = new AvroDecimal(new BigInteger(amount * 1_000_000_000_000m), 12),
        amount = new AvroDecimal(new BigInteger(amount * 1_000_000m), 6),
        currency = currency,
        rateCardVersion = "test-1",
        sourceEventIds = ["l1"],
    };
}
