using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StreamBilling.Events.Outputs;
using StreamBilling.Kafka;
using StreamBilling.Pipeline.Cdn;
using StreamBilling.Pipeline.Invoicing;
using StreamBilling.Pipeline.Rollups;
using StreamBilling.Pipeline.Sinks;
using StreamBilling.Storage;
using StreamBilling.Streams.Kafka;

namespace StreamBilling.Pipeline.Hosting;

/// <summary>
/// Registers the billing pipeline with a host (after <c>AddStreamBillingKafka</c>), one component per call. Hosted
/// services stop in reverse registration order, so register consumers before the producers that feed them: the store
/// sinks, then the topologies downstream first (rollups before sessions), then the simulator.
/// </summary>
public static class PipelineHostBuilderExtensions
{
    /// <summary>
    /// Every billing topology of <see cref="PipelineApplications.All"/>, consumers before the producers that feed them (so at
    /// shutdown the producers stop first): rollups, invoices, pricing, CDN caps, CDN usage messages, instance sessions.
    /// </summary>
    public static IHostApplicationBuilder AddBillingTopologies(this IHostApplicationBuilder builder) =>
        builder.AddHourlyRollups().AddInvoices().AddPricing().AddCdnCaps().AddCdnUsageMessages().AddInstanceSessions();

    /// <summary>
    /// InstanceSessionJoin as a stream application (section <c>Pipeline:InstanceSessions</c>): EC2 launches and terminates
    /// → <c>billing.usage-segments</c>. Simulators in the host wait for it on the topics it reads.
    /// </summary>
    public static IHostApplicationBuilder AddInstanceSessions(this IHostApplicationBuilder builder) =>
        builder.AddBillingTopology<InstanceSessionsSettings>(
            PipelineApplications.InstanceSessions, InstanceSessionsSettings.SectionName, s => s.ToOptions(), (serdes, s) => PipelineTopologies.BuildInstanceSessions(serdes, s.ToOptions()));

    /// <summary>
    /// CdnCapWindows as a stream application (section <c>Pipeline:CdnCaps</c>, caps under <c>Limits</c>): CloudWatch CDN
    /// traffic → <c>cdn.caps</c>, one decision per crossing.
    /// </summary>
    public static IHostApplicationBuilder AddCdnCaps(this IHostApplicationBuilder builder) =>
        builder.AddBillingTopology<CdnCapsSettings>(
            PipelineApplications.CdnCaps, CdnCapsSettings.SectionName, s => s.ToOptions(), (serdes, s) => PipelineTopologies.BuildCdnCaps(serdes, s.ToOptions()));

    /// <summary>
    /// HourlyRollup as a stream application (section <c>Pipeline:HourlyRollups</c>): usage segments and priced lines →
    /// <c>rollups.hourly</c>. Pair it with <see cref="AddRollupSink"/> to fill the store.
    /// </summary>
    public static IHostApplicationBuilder AddHourlyRollups(this IHostApplicationBuilder builder) =>
        builder.AddBillingTopology<HourlyRollupsSettings>(
            PipelineApplications.HourlyRollups, HourlyRollupsSettings.SectionName, s => s.ToOptions(), (serdes, s) => PipelineTopologies.BuildHourlyRollups(serdes, s.ToOptions()));

    /// <summary>
    /// CDN usage billing messages as a stream application (section <c>Pipeline:CdnUsageMessages</c>): Cost Explorer CDN
    /// figures → <c>billing.cdn-usage-messages</c> (EVENT_CDN_USAGE).
    /// </summary>
    public static IHostApplicationBuilder AddCdnUsageMessages(this IHostApplicationBuilder builder) =>
        builder.AddBillingTopology<CdnUsageMessagesSettings>(
            PipelineApplications.CdnUsageMessages, CdnUsageMessagesSettings.SectionName, s => s.ToOptions(), (serdes, s) => PipelineTopologies.BuildCdnUsageMessages(serdes, s.ToOptions()));

    /// <summary>
    /// PricingStream as a stream application (section <c>Pipeline:Pricing</c>, rate card file under <c>RateCardPath</c>):
    /// usage segments, reservations and metered usage → <c>billing.priced-lines</c>, priced by the bill engine.
    /// </summary>
    public static IHostApplicationBuilder AddPricing(this IHostApplicationBuilder builder) =>
        builder.AddBillingTopology<PricingSettings>(
            PipelineApplications.Pricing, PricingSettings.SectionName, s => s.ToOptions(), (serdes, s) => PricingTopology.Build(serdes, s.ToOptions()));

    /// <summary>
    /// BillingConsumer as a stream application (section <c>Pipeline:Invoices</c>): priced lines and Elastic IP events →
    /// <c>billing.invoices</c>, month-to-date and final invoices by the bill engine's assembler.
    /// </summary>
    public static IHostApplicationBuilder AddInvoices(this IHostApplicationBuilder builder) =>
        builder.AddBillingTopology<InvoicesSettings>(
            PipelineApplications.Invoices, InvoicesSettings.SectionName, s => s.ToOptions(), (serdes, s) => InvoiceTopology.Build(serdes, s.ToOptions()));

    /// <summary>
    /// The CdnController (section <c>Pipeline:CdnController</c>): applies <c>cdn.caps</c> decisions to the status store and
    /// publishes <c>cdn.status</c>. Adds the usage store (<see cref="AddUsageStore"/>).
    /// </summary>
    public static IHostApplicationBuilder AddCdnController(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var section = builder.Configuration.GetSection(CdnControllerSettings.SectionName);
        builder.Services.AddOptions<CdnControllerSettings>()
            .Bind(section)
            .Validate(s => !string.IsNullOrWhiteSpace(s.GroupId), $"{CdnControllerSettings.SectionName}:GroupId must not be empty.")
            .ValidateOnStart();
        if (!section.GetValue(nameof(CdnControllerSettings.Enabled), defaultValue: true))
        {
            return builder;
        }

        builder.AddUsageStore();
        builder.Services.TryAddSingleton(sp => new CdnController(sp.GetRequiredService<ICdnStatusStore>(), sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton(sp => new CdnControllerService(
            sp.GetRequiredService<KafkaClientFactory>(),
            sp.GetRequiredService<CdnController>(),
            sp.GetRequiredService<ILogger<CdnControllerService>>(),
            sp.GetRequiredService<IOptions<CdnControllerSettings>>().Value.GroupId));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<CdnControllerService>());
        return builder;
    }

    /// <summary>
    /// The rollup sink (section <c>Pipeline:RollupSink</c>): upserts <c>rollups.hourly</c> into the rollup store, committing
    /// offsets after each upsert. Adds the usage store (<see cref="AddUsageStore"/>).
    /// </summary>
    public static IHostApplicationBuilder AddRollupSink(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var section = builder.Configuration.GetSection(RollupSinkSettings.SectionName);
        builder.Services.AddOptions<RollupSinkSettings>()
            .Bind(section)
            .Validate(s => !string.IsNullOrWhiteSpace(s.GroupId), $"{RollupSinkSettings.SectionName}:GroupId must not be empty.")
            .Validate(s => s.MaxBatchSize >= 1, $"{RollupSinkSettings.SectionName}:MaxBatchSize must be at least 1.")
            .ValidateOnStart();
        if (!section.GetValue(nameof(RollupSinkSettings.Enabled), defaultValue: true))
        {
            return builder;
        }

        builder.AddUsageStore();
        builder.Services.AddHostedService(sp =>
        {
            var settings = sp.GetRequiredService<IOptions<RollupSinkSettings>>().Value;
            return new StoreSinkService<HourlyRollup>(
                sp.GetRequiredService<KafkaClientFactory>(),
                new RollupSink(sp.GetRequiredService<IRollupStore>()).Definition,
                settings.GroupId,
                settings.MaxBatchSize,
                sp.GetRequiredService<ILogger<RollupSink>>());
        });
        return builder;
    }

    /// <summary>
    /// The invoice sink (section <c>Pipeline:InvoiceSink</c>): upserts <c>billing.invoices</c> into the invoice store (the
    /// highest revision per invoice wins), committing offsets after each upsert. Adds the usage store (<see cref="AddUsageStore"/>).
    /// </summary>
    public static IHostApplicationBuilder AddInvoiceSink(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var section = builder.Configuration.GetSection(InvoiceSinkSettings.SectionName);
        builder.Services.AddOptions<InvoiceSinkSettings>()
            .Bind(section)
            .Validate(s => !string.IsNullOrWhiteSpace(s.GroupId), $"{InvoiceSinkSettings.SectionName}:GroupId must not be empty.")
            .Validate(s => s.MaxBatchSize >= 1, $"{InvoiceSinkSettings.SectionName}:MaxBatchSize must be at least 1.")
            .ValidateOnStart();
        if (!section.GetValue(nameof(InvoiceSinkSettings.Enabled), defaultValue: true))
        {
            return builder;
        }

        builder.AddUsageStore();
        builder.Services.AddHostedService(sp =>
        {
            var settings = sp.GetRequiredService<IOptions<InvoiceSinkSettings>>().Value;
            return new StoreSinkService<Invoice>(
                sp.GetRequiredService<KafkaClientFactory>(),
                new InvoiceSink(sp.GetRequiredService<IInvoiceStore>()).Definition,
                settings.GroupId,
                settings.MaxBatchSize,
                sp.GetRequiredService<ILogger<InvoiceSink>>());
        });
        return builder;
    }

    /// <summary>
    /// The rollup, CDN status and invoice store (section <c>Storage</c>: <c>Provider</c> DuckDb with <c>DuckDbPath</c>, or
    /// Postgres with <c>ConnectionString</c>): opened when first needed and closed with the host, registered as <see cref="IUsageStore"/>, <see cref="IRollupStore"/>,
    /// <see cref="ICdnStatusStore"/> and <see cref="IInvoiceStore"/>. Added by the components that need it; calling it again changes nothing.
    /// </summary>
    public static IHostApplicationBuilder AddUsageStore(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.Services.Any(d => d.ServiceType == typeof(IUsageStore)))
        {
            return builder;
        }

        builder.Services.AddOptions<UsageStoreSettings>()
            .Bind(builder.Configuration.GetSection(UsageStoreSettings.SectionName))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<UsageStoreSettings>, UsageStoreSettingsValidator>();
        builder.Services.AddSingleton(sp =>
        {
            var settings = sp.GetRequiredService<IOptions<UsageStoreSettings>>().Value;

            // Resolved while the host builds its hosted services, which cannot await; opening the file or connecting and
            // migrating once is quick, and a server that cannot be reached fails the start with its reason.
            return settings.OpenAsync(sp.GetService<TimeProvider>() ?? TimeProvider.System).GetAwaiter().GetResult();
        });
        builder.Services.AddSingleton<IRollupStore>(sp => sp.GetRequiredService<IUsageStore>());
        builder.Services.AddSingleton<ICdnStatusStore>(sp => sp.GetRequiredService<IUsageStore>());
        builder.Services.AddSingleton<IInvoiceStore>(sp => sp.GetRequiredService<IUsageStore>());
        return builder;
    }

    private static IHostApplicationBuilder AddBillingTopology<TSettings>(
        this IHostApplicationBuilder builder,
        string name,
        string sectionName,
        Action<TSettings> validate,
        Func<AvroSerdes, TSettings, Topology> build)
        where TSettings : StreamApplicationSettings
    {
        ArgumentNullException.ThrowIfNull(builder);
        var section = builder.Configuration.GetSection(sectionName);
        builder.Services.AddOptions<TSettings>().Bind(section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TSettings>>(new SettingsValidator<TSettings>(sectionName, s =>
        {
            validate(s);
            s.ToStreamsOptions(new StreamsHostSettings()); // throws on an invalid value
        }));
        if (!section.GetValue(nameof(StreamApplicationSettings.Enabled), defaultValue: true))
        {
            return builder;
        }

        builder.Services.TryAddSingleton(sp => new AvroSerdes(sp.GetRequiredService<Confluent.SchemaRegistry.ISchemaRegistryClient>()));
        builder.Services.AddKeyedSingleton(name, (sp, _) => build(sp.GetRequiredService<AvroSerdes>(), sp.GetRequiredService<IOptions<TSettings>>().Value));

        // Producers in the host (the simulator) wait for the application on the topics it reads from outside.
        builder.Services.AddSingleton(sp =>
        {
            var topology = sp.GetRequiredKeyedService<Topology>(name);
            return new BackPressureGroup(topology.ApplicationId, topology.SourceTopics.Except(topology.RepartitionTopics, StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal));
        });
        // The late topic's subject is registered before the application starts (hosted services start in order).
        builder.Services.AddKeyedSingleton(name, (sp, _) => new LateTopicSchemaRegistration(
            sp.GetRequiredService<Confluent.SchemaRegistry.ISchemaRegistryClient>(),
            sp.GetRequiredKeyedService<Topology>(name).LateRecordsTopic,
            sp.GetService<ILogger<LateTopicSchemaRegistration>>() ?? NullLogger<LateTopicSchemaRegistration>.Instance));
        builder.Services.AddHostedService(sp => sp.GetRequiredKeyedService<LateTopicSchemaRegistration>(name));
        if (!builder.Services.Any(d => d.ServiceType == typeof(IConfigureOptions<StreamsHostSettings>)))
        {
            builder.Services.AddOptions<StreamsHostSettings>().Bind(builder.Configuration.GetSection(StreamsHostSettings.SectionName));
        }

        builder.AddKafkaStreams(
            name,
            sp => sp.GetRequiredKeyedService<Topology>(name),
            sp => sp.GetRequiredService<IOptions<TSettings>>().Value.ToStreamsOptions(sp.GetRequiredService<IOptions<StreamsHostSettings>>().Value));
        return builder;
    }
}
