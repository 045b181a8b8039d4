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
using StreamBilling.Pipeline.Pricing;
using StreamBilling.Pipeline.Rollups;
using StreamBilling.Pipeline.Sessions;
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
    /// InstanceSessions as a stream application (section <c>Pipeline:InstanceSessions</c>, bound onto
    /// <see cref="InstanceSessionOptions"/>): EC2 launches and terminates → <c>billing.usage-segments</c>. Simulators in the
    /// host wait for it on the topics it reads.
    /// </summary>
    public static IHostApplicationBuilder AddInstanceSessions(this IHostApplicationBuilder builder) =>
        builder.AddBillingTopology<InstanceSessionOptions>(
            PipelineApplications.InstanceSessions, PipelineSections.InstanceSessions, o => o.Validate(), PipelineTopologies.BuildInstanceSessions);

    /// <summary>
    /// CdnCaps as a stream application (section <c>Pipeline:CdnCaps</c>, bound onto <see cref="CdnCapOptions"/>;
    /// caps under <c>Limits</c> replace the defaults): CloudWatch CDN traffic → <c>cdn.caps</c>, one decision per crossing.
    /// </summary>
    /// <remarks>
    /// Adds the usage store and the CDN registry copy the topology checks customers against (<see cref="CdnRegistrySnapshot"/>),
    /// loaded from the store before the topology starts and refreshed every <c>Pipeline:CdnCaps:RegistryRefreshInterval</c>.
    /// </remarks>
    public static IHostApplicationBuilder AddCdnCaps(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.Configuration.GetSection(PipelineSections.CdnCaps).GetValue(nameof(StreamApplicationSettings.Enabled), defaultValue: true))
        {
            builder.AddUsageStore();
            builder.Services.TryAddSingleton<CdnRegistrySnapshot>();

            // Before the topology's own hosted service (added below), so it starts with the registry loaded.
            builder.Services.AddHostedService(sp => new CdnRegistryRefreshService(
                sp.GetRequiredService<CdnRegistrySnapshot>(),
                sp.GetRequiredService<ICdnDistributionStore>(),
                sp.GetRequiredService<IOptions<CdnCapOptions>>().Value.RegistryRefreshInterval,
                sp.GetService<TimeProvider>() ?? TimeProvider.System,
                sp.GetRequiredService<ILogger<CdnRegistryRefreshService>>()));
        }

        return builder.AddBillingTopology<CdnCapOptions>(
            PipelineApplications.CdnCaps,
            PipelineSections.CdnCaps,
            o => o.Validate(),
            (sp, serdes, o) => PipelineTopologies.BuildCdnCaps(serdes, sp.GetRequiredService<CdnRegistrySnapshot>(), o),
            ReplaceDefaultLimits);
    }

    /// <summary>
    /// HourlyRollups as a stream application (section <c>Pipeline:HourlyRollups</c>, bound onto
    /// <see cref="HourlyRollupOptions"/>): usage segments and priced lines → <c>rollups.hourly</c>. Pair it with
    /// <see cref="AddRollupSink"/> to fill the store.
    /// </summary>
    public static IHostApplicationBuilder AddHourlyRollups(this IHostApplicationBuilder builder) =>
        builder.AddBillingTopology<HourlyRollupOptions>(
            PipelineApplications.HourlyRollups, PipelineSections.HourlyRollups, o => o.Validate(), PipelineTopologies.BuildHourlyRollups);

    /// <summary>
    /// CDN usage billing messages as a stream application (section <c>Pipeline:CdnUsageMessages</c>, bound onto
    /// <see cref="CdnUsageMessageOptions"/>): Cost Explorer CDN figures → <c>billing.cdn-usage-messages</c> (EVENT_CDN_USAGE).
    /// </summary>
    public static IHostApplicationBuilder AddCdnUsageMessages(this IHostApplicationBuilder builder) =>
        builder.AddBillingTopology<CdnUsageMessageOptions>(
            PipelineApplications.CdnUsageMessages, PipelineSections.CdnUsageMessages, o => o.Validate(), PipelineTopologies.BuildCdnUsageMessages);

    /// <summary>
    /// Pricing as a stream application (section <c>Pipeline:Pricing</c>, bound onto <see cref="PricingOptions"/>;
    /// the rate card loaded from <c>RateCardPath</c>): usage segments, reservations and metered usage →
    /// <c>billing.priced-lines</c>, priced by the bill engine.
    /// </summary>
    public static IHostApplicationBuilder AddPricing(this IHostApplicationBuilder builder) =>
        builder.AddBillingTopology<PricingOptions>(
            PipelineApplications.Pricing,
            PipelineSections.Pricing,
            o => o.Validate(),
            PricingTopology.Build,
            (o, section) => o.RateCard = LoadRateCard(section));

    /// <summary>
    /// Invoices as a stream application (section <c>Pipeline:Invoices</c>, bound onto <see cref="InvoiceOptions"/>;
    /// the rate card loaded from <c>RateCardPath</c>): priced lines and Elastic IP events → <c>billing.invoices</c>,
    /// month-to-date and final invoices by the bill engine's assembler.
    /// </summary>
    public static IHostApplicationBuilder AddInvoices(this IHostApplicationBuilder builder) =>
        builder.AddBillingTopology<InvoiceOptions>(
            PipelineApplications.Invoices,
            PipelineSections.Invoices,
            o => o.Validate(),
            InvoiceTopology.Build,
            (o, section) => o.RateCard = LoadRateCard(section));

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
        builder.Services.TryAddSingleton(sp => new CdnController(sp.GetRequiredService<ICdnStatusStore>(), sp.GetRequiredService<ICdnDistributionStore>(), sp.GetRequiredService<TimeProvider>()));
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
    /// <see cref="ICdnStatusStore"/>, <see cref="ICdnDistributionStore"/> and <see cref="IInvoiceStore"/>. Added by the components that need it; calling it again changes nothing.
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
        builder.Services.AddSingleton<ICdnDistributionStore>(sp => sp.GetRequiredService<IUsageStore>());
        builder.Services.AddSingleton<IInvoiceStore>(sp => sp.GetRequiredService<IUsageStore>());
        return builder;
    }

    /// <summary>
    /// Registers one billing stream application: <typeparamref name="TOptions"/> bound from <paramref name="sectionName"/>
    /// (then <paramref name="load"/>, for what configuration names but does not hold), checked by <paramref name="validate"/>
    /// at start; <see cref="StreamApplicationSettings"/> named <paramref name="name"/> from the same section. A value
    /// <paramref name="load"/> cannot load fails like an invalid one, naming the section.
    /// </summary>
    private static IHostApplicationBuilder AddBillingTopology<TOptions>(
        this IHostApplicationBuilder builder,
        string name,
        string sectionName,
        Action<TOptions> validate,
        Func<AvroSerdes, TOptions, Topology> build,
        Action<TOptions, IConfigurationSection>? load = null)
        where TOptions : class =>
        builder.AddBillingTopology<TOptions>(name, sectionName, validate, (_, serdes, options) => build(serdes, options), load);

    private static IHostApplicationBuilder AddBillingTopology<TOptions>(
        this IHostApplicationBuilder builder,
        string name,
        string sectionName,
        Action<TOptions> validate,
        Func<IServiceProvider, AvroSerdes, TOptions, Topology> build,
        Action<TOptions, IConfigurationSection>? load)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        var section = builder.Configuration.GetSection(sectionName);
        builder.Services.AddOptions<TOptions>()
            .Bind(section)
            .PostConfigure(o =>
            {
                try
                {
                    load?.Invoke(o, section);
                }
                catch (ArgumentException e)
                {
                    throw new OptionsValidationException(Options.DefaultName, typeof(TOptions), [$"{sectionName}: {e.Message}"]);
                }
            })
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TOptions>>(new OptionsValidator<TOptions>(sectionName, validate));
        builder.Services.AddOptions<StreamApplicationSettings>(name).Bind(section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<StreamApplicationSettings>>(new OptionsValidator<StreamApplicationSettings>(sectionName, s => s.Validate(), name));
        if (!section.GetValue(nameof(StreamApplicationSettings.Enabled), defaultValue: true))
        {
            return builder;
        }

        builder.Services.TryAddSingleton(sp => new AvroSerdes(sp.GetRequiredService<Confluent.SchemaRegistry.ISchemaRegistryClient>()));
        builder.Services.AddKeyedSingleton(name, (sp, _) => build(sp, sp.GetRequiredService<AvroSerdes>(), sp.GetRequiredService<IOptions<TOptions>>().Value));

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
            sp => sp.GetRequiredService<IOptionsMonitor<StreamApplicationSettings>>().Get(name)
                .ToStreamsOptions(sp.GetRequiredService<IOptions<StreamsHostSettings>>().Value));
        return builder;
    }

    /// <summary>
    /// The caps under <c>Limits</c>, when configured, replace the defaults: the binder appends configured list items to a
    /// list's existing ones.
    /// </summary>
    private static void ReplaceDefaultLimits(CdnCapOptions options, IConfigurationSection section)
    {
        var limits = section.GetSection(nameof(CdnCapOptions.Limits));
        if (limits.Exists())
        {
            options.Limits = limits.Get<List<CdnCapLimit>>() ?? [];
        }
    }

    /// <summary>The rate card of <c>RateCardPath</c> in <paramref name="section"/> (default <see cref="RateCardFiles.DefaultPath"/>).</summary>
    private static Billing.RateCards.RateCard LoadRateCard(IConfigurationSection section) =>
        RateCardFiles.Load(section[RateCardFiles.PathKey] ?? RateCardFiles.DefaultPath, RateCardFiles.PathKey);
}
