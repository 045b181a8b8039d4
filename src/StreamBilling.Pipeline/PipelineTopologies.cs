using StreamBilling.Contracts;
using StreamBilling.Events.Cdn;
using StreamBilling.Events.Ec2;
using StreamBilling.Events.Outputs;
using StreamBilling.Pipeline.Cdn;
using StreamBilling.Pipeline.Rollups;
using StreamBilling.Pipeline.Sessions;

using StreamBilling.Pipeline.Telemetry;

namespace StreamBilling.Pipeline;

/// <summary>
/// The billing topologies, each a separate application (own consumer group, stores and changelogs). Sources and sinks
/// use Avro serdes from <see cref="AvroSerdes"/>; keys are UTF-8 strings. See <c>docs/pipeline.md</c>.
/// </summary>
public static class PipelineTopologies
{
    /// <summary>
    /// InstanceSessions: <see cref="Topics.InstanceLaunched"/> + <see cref="Topics.InstanceTerminated"/> (key instanceId)
    /// → <see cref="Topics.UsageSegments"/> (key accountId), hourly slices of each instance session.
    /// </summary>
    public static Topology BuildInstanceSessions(AvroSerdes serdes, InstanceSessionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(serdes);
        options ??= new InstanceSessionOptions();
        options.Validate();
        var builder = new StreamsBuilder(options.ApplicationId) { LateRecordsTopic = options.LateRecordsTopic, LateRecordSerde = serdes.LateRecords };
        builder.AddStateStore(options.PersistentStores
            ? Stores.RocksDbKeyValue(options.StoreName, Serdes.Utf8, PipelineJson.Serde<InstanceState>())
            : Stores.InMemoryKeyValue(options.StoreName, Serdes.Utf8, PipelineJson.Serde<InstanceState>()));
        var terminatedSerde = serdes.For<InstanceTerminated>();
        var launches = builder.Stream(Topics.InstanceLaunched, Serdes.Utf8, serdes.For<InstanceLaunched>()).CountingUsage(Topics.InstanceLaunched)
            .MapValues(v => InstanceEvent.From(v));
        builder.Stream(Topics.InstanceTerminated, Serdes.Utf8, terminatedSerde).CountingUsage(Topics.InstanceTerminated)
            .MapValues(v => InstanceEvent.From(v))
            .Merge(launches)
            .Process<string, UsageSegment>(() => new InstanceSessionJoin(options, terminatedSerde), [options.StoreName], "instance-session-join")
            .To(Topics.UsageSegments, Serdes.Utf8, serdes.For<UsageSegment>());
        return builder.Build();
    }

    /// <summary>
    /// CdnCaps: CloudWatch samples of <see cref="Topics.CdnTraffic"/> (key customerId) → <see cref="Topics.CdnCaps"/>
    /// (key customerId), one <see cref="CdnCapDecision"/> per crossing of each cap in <see cref="CdnCapOptions.Limits"/>.
    /// Samples of customers <paramref name="registry"/> does not hold go to the late topic (<c>unknown-customer</c>).
    /// </summary>
    public static Topology BuildCdnCaps(AvroSerdes serdes, CdnRegistrySnapshot registry, CdnCapOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(serdes);
        ArgumentNullException.ThrowIfNull(registry);
        options ??= new CdnCapOptions();
        options.Validate();
        var stores = CdnCapStores.For(options);
        var builder = new StreamsBuilder(options.ApplicationId) { LateRecordsTopic = options.LateRecordsTopic, LateRecordSerde = serdes.LateRecords };
        var longest = options.Limits.Max(l => l.Window);

        // Samples must be kept as long as any cap window can still take one of them (a bucket holds samples up to its
        // end); an hour of margin for publication lag.
        var bucket = CdnCapProcessor.BucketOf(options);
        var samplesRetention = bucket + longest + options.Grace + TimeSpan.FromHours(1);
        builder.AddStateStore(options.PersistentStores
            ? Stores.RocksDbWindow(stores.Samples, samplesRetention, bucket, Serdes.Utf8, CdnSampleBucketSerde.Instance)
            : Stores.InMemoryWindow(stores.Samples, samplesRetention, bucket, Serdes.Utf8, CdnSampleBucketSerde.Instance));
        builder.AddStateStore(options.PersistentStores
            ? Stores.RocksDbKeyValue<string, long>(stores.Decided)
            : Stores.InMemoryKeyValue<string, long>(stores.Decided));
        var trafficSerde = serdes.For<CdnTraffic>();
        builder.Stream(Topics.CdnTraffic, Serdes.Utf8, trafficSerde).CountingUsage(Topics.CdnTraffic)
            .Process<string, CdnCapDecision>(() => new CdnCapProcessor(options, registry, stores, trafficSerde), [.. stores.All], "cdn-cap-windows")
            .To(Topics.CdnCaps, Serdes.Utf8, serdes.For<CdnCapDecision>());
        return builder.Build();
    }

    /// <summary>
    /// HourlyRollups: <see cref="Topics.UsageSegments"/> (EC2 running time) + <see cref="Topics.PricedLines"/> (cost), both
    /// key accountId and co-partitioned, merged in the account's task → <see cref="Topics.HourlyRollups"/> (key
    /// partitionKey), one <see cref="HourlyRollup"/> per (account, region, role, service, hour), re-emitted with the same
    /// id on every change.
    /// </summary>
    public static Topology BuildHourlyRollups(AvroSerdes serdes, HourlyRollupOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(serdes);
        options ??= new HourlyRollupOptions();
        options.Validate();
        const string contributionStore = "rollup-contributions";
        const string hourStore = "rollup-hours";
        const string pendingStore = "rollup-pending";
        var builder = new StreamsBuilder(options.ApplicationId) { LateRecordSerde = serdes.LateRecords };
        if (options.LateRecordsTopic is { } late)
        {
            builder.LateRecordsTopic = late;
        }

        // Binary in the stores and their changelogs; JSON in the late topic, which people read.
        var contributionSerde = RollupContributionSerde.Instance;
        var lateSerde = PipelineJson.Serde<RollupContribution>();
        var retention = TimeSpan.FromHours(1) + options.Grace;
        builder.AddStateStore(options.PersistentStores
            ? Stores.RocksDbWindow(contributionStore, retention, TimeSpan.FromHours(1), Serdes.Utf8, contributionSerde)
            : Stores.InMemoryWindow(contributionStore, retention, TimeSpan.FromHours(1), Serdes.Utf8, contributionSerde));
        builder.AddStateStore(options.PersistentStores
            ? Stores.RocksDbWindow(hourStore, retention, TimeSpan.FromHours(1), Serdes.Utf8, PipelineJson.Serde<RollupTotals>())
            : Stores.InMemoryWindow(hourStore, retention, TimeSpan.FromHours(1), Serdes.Utf8, PipelineJson.Serde<RollupTotals>()));
        builder.AddStateStore(options.PersistentStores
            ? Stores.RocksDbKeyValue(pendingStore, Serdes.Utf8, contributionSerde)
            : Stores.InMemoryKeyValue(pendingStore, Serdes.Utf8, contributionSerde));
        // Both inputs are keyed by account and co-partitioned (12 partitions), and a rollup belongs to one account: the
        // task that reads an account's partition holds all of its rollups, so no repartition topic is needed.
        var segments = builder.Stream(Topics.UsageSegments, Serdes.Utf8, serdes.For<UsageSegment>())
            .MapValues(RollupContribution.From);
        builder.Stream(Topics.PricedLines, Serdes.Utf8, serdes.For<PricedLineItem>())
            .MapValues(RollupContribution.From)
            .Merge(segments)
            .Process<string, HourlyRollup>(() => new HourlyRollupProcessor(options, contributionStore, hourStore, pendingStore, lateSerde), [contributionStore, hourStore, pendingStore], "hourly-rollup")
            .To(Topics.HourlyRollups, Serdes.Utf8, serdes.For<HourlyRollup>());
        return builder.Build();
    }

    /// <summary>
    /// CDN usage billing messages: Cost Explorer figures of <see cref="Topics.CdnCostExplorer"/> (key customerId) →
    /// <see cref="Topics.CdnUsageMessages"/> (Avro) and <see cref="Topics.CdnUsageEvents"/> (the billing system's JSON), key
    /// customerId, one EVENT_CDN_USAGE message per customer and settled period (24 h by default), consecutive periods
    /// without gaps or overlaps.
    /// </summary>
    public static Topology BuildCdnUsageMessages(AvroSerdes serdes, CdnUsageMessageOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(serdes);
        options ??= new CdnUsageMessageOptions();
        options.Validate();
        const string store = "cdn-usage-periods";
        var builder = new StreamsBuilder(options.ApplicationId) { LateRecordSerde = serdes.LateRecords };
        builder.AddStateStore(options.PersistentStores
            ? Stores.RocksDbKeyValue(store, Serdes.Utf8, PipelineJson.Serde<CustomerUsage>())
            : Stores.InMemoryKeyValue(store, Serdes.Utf8, PipelineJson.Serde<CustomerUsage>()));
        var trafficSerde = serdes.For<CdnTraffic>();
        var messages = builder.Stream(Topics.CdnCostExplorer, Serdes.Utf8, trafficSerde)
            .Process<string, CdnUsageBillingMessage>(() => new CdnUsageMessageProcessor(options, store, trafficSerde), [store], "cdn-usage-messages");
        messages.To(Topics.CdnUsageMessages, Serdes.Utf8, serdes.For<CdnUsageBillingMessage>());

        // The billing system's JSON contract, same id (record id header and payload id) as the Avro message.
        messages.MapValues(CdnUsageEventJson.Serialize).To(Topics.CdnUsageEvents, Serdes.Utf8, Serdes.Bytes);
        return builder.Build();
    }
}
