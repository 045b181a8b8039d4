using StreamBilling.Contracts;
using StreamBilling.Events.Ec2;
using StreamBilling.Events.Outputs;
using StreamBilling.Kafka;
using StreamBilling.Pipeline.Sessions;
using StreamBilling.Streams.Testing;

namespace StreamBilling.Pipeline.Tests;

/// <summary>The InstanceSessions topology in a test driver with real Avro serdes; records are piped at their event time unless told otherwise.</summary>
internal sealed class SessionDriver : IDisposable
{
    private readonly TestInputTopic<string, InstanceLaunched> _launches;
    private readonly TestInputTopic<string, InstanceTerminated> _terminates;
    private readonly TestOutputTopic<string, UsageSegment> _segments;

    public SessionDriver(InstanceSessionOptions? options = null)
    {
        Serdes = new AvroSerdes(new InMemorySchemaRegistryClient());
        Options = options ?? new InstanceSessionOptions();
        Driver = new TopologyTestDriver(PipelineTopologies.BuildInstanceSessions(Serdes, Options));
        _launches = Driver.CreateInputTopic(Topics.InstanceLaunched, Streams.Serdes.Utf8, Serdes.For<InstanceLaunched>());
        _terminates = Driver.CreateInputTopic(Topics.InstanceTerminated, Streams.Serdes.Utf8, Serdes.For<InstanceTerminated>());
        _segments = Driver.CreateOutputTopic(Topics.UsageSegments, Streams.Serdes.Utf8, Serdes.For<UsageSegment>());
    }

    public AvroSerdes Serdes { get; }

    public InstanceSessionOptions Options { get; }

    public TopologyTestDriver Driver { get; }

    public void Launch(InstanceLaunched e, DateTimeOffset? arrival = null) =>
        _launches.PipeInput(e.instanceId, e, arrival ?? new DateTimeOffset(e.eventTime, TimeSpan.Zero));

    public void Terminate(InstanceTerminated e, DateTimeOffset? arrival = null) =>
        _terminates.PipeInput(e.instanceId, e, arrival ?? new DateTimeOffset(e.eventTime, TimeSpan.Zero));

    /// <summary>Moves stream time with a launch of an unrelated instance.</summary>
    public void AdvanceStreamTime(string at) => Launch(Ec2Events.Launch("tick-" + at, "i-clock", at));

    /// <summary>Segments produced since the last read, without the clock instance's.</summary>
    public IReadOnlyList<TestRecord<string, UsageSegment>> Read() =>
        [.. _segments.ReadRecordsToList().Where(r => r.Value.instanceId != "i-clock")];

    public void Dispose() => Driver.Dispose();

    /// <summary>What an upserting sink holds: the latest segment per id.</summary>
    public static IReadOnlyList<UsageSegment> Latest(IEnumerable<TestRecord<string, UsageSegment>> records)
    {
        var latest = new Dictionary<string, UsageSegment>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            latest[record.Id!] = record.Value;
        }

        return [.. latest.Values.OrderBy(s => s.segmentStart)];
    }
}
