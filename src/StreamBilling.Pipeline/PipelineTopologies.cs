using StreamBilling.Contracts;
using StreamBilling.Events.Ec2;
using StreamBilling.Events.Outputs;
using StreamBilling.Pipeline.Sessions;

namespace StreamBilling.Pipeline;

/// <summary>
/// The billing topologies, each a separate application (own consumer group, stores and changelogs). Sources and sinks
/// use Avro serdes from <see cref="AvroSerdes"/>; keys are UTF-8 strings. See <c>docs/pipeline.md</c>.
/// </summary>
public static class PipelineTopologies
{
    /// <summary>
    /// InstanceSessionJoin: <see cref="Topics.InstanceLaunched"/> + <see cref="Topics.InstanceTerminated"/> (key instanceId)
    /// → <see cref="Topics.UsageSegments"/> (key accountId), hourly slices of each instance session.
    /// </summary>
    public static Topology BuildInstanceSessions(AvroSerdes serdes, SessionJoinOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(serdes);
        options ??= new SessionJoinOptions();
        options.Validate();
        var builder = new StreamsBuilder(options.ApplicationId) { LateRecordsTopic = options.LateRecordsTopic };
        builder.AddStateStore(options.PersistentStore
            ? Stores.RocksDbKeyValue<string, InstanceState>(options.StoreName)
            : Stores.InMemoryKeyValue<string, InstanceState>(options.StoreName));
        var terminatedSerde = serdes.For<InstanceTerminated>();
        var launches = builder.Stream(Topics.InstanceLaunched, Serdes.Utf8, serdes.For<InstanceLaunched>())
            .MapValues(v => InstanceEvent.From(v));
        builder.Stream(Topics.InstanceTerminated, Serdes.Utf8, terminatedSerde)
            .MapValues(v => InstanceEvent.From(v))
            .Merge(launches)
            .Process<string, UsageSegment>(() => new InstanceSessionJoin(options, terminatedSerde), [options.StoreName], "instance-session-join")
            .To(Topics.UsageSegments, Serdes.Utf8, serdes.For<UsageSegment>());
        return builder.Build();
    }
}
