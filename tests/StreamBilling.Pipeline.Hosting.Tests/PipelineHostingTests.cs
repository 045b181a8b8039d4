using Confluent.SchemaRegistry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using StreamBilling.Contracts;
using StreamBilling.Kafka;
using StreamBilling.Pipeline.Cdn;
using StreamBilling.Pipeline.Invoicing;
using StreamBilling.Pipeline.Pricing;
using StreamBilling.Pipeline.Sessions;
using StreamBilling.Streams;
using StreamBilling.Streams.Kafka;

namespace StreamBilling.Pipeline.Hosting.Tests;

/// <summary>The host registrations: options bound from configuration, validation, and what each application registers (nothing is started).</summary>
public sealed class PipelineHostingTests
{
    [Fact]
    public void CapLimits_FromConfiguration_ReplaceTheDefaultCaps()
    {
        using var host = Build(
            b => b.AddCdnCaps(),
            ("Pipeline:CdnCaps:Limits:0:Window", "00:30:00"),
            ("Pipeline:CdnCaps:Limits:0:Advance", "00:05:00"),
            ("Pipeline:CdnCaps:Limits:0:LimitGb", "250"));

        var options = host.Services.GetRequiredService<IOptions<CdnCapOptions>>().Value;

        Assert.Equal([new CdnCapLimit(TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(5), 250m)], options.Limits);
    }

    [Fact]
    public void UnsetSettings_KeepTheTopologysDefaults()
    {
        using var host = Build(b => b.AddCdnCaps().AddInstanceSessions());

        var caps = host.Services.GetRequiredService<IOptions<CdnCapOptions>>().Value;
        var sessions = host.Services.GetRequiredService<IOptions<InstanceSessionOptions>>().Value;

        Assert.Equal(new CdnCapOptions().Limits, caps.Limits);
        Assert.Equal(("streambilling-cdn-caps", "streambilling-sessions"), (caps.ApplicationId, sessions.ApplicationId));
    }

    [Fact]
    public void RuntimeGuards_FromConfiguration_ReachTheApplicationsStreamsOptions_OthersKeepTheDefaults()
    {
        using var host = Build(
            b => b.AddCdnCaps().AddInstanceSessions(),
            ("Pipeline:CdnCaps:DeserializationErrors", "Fail"),
            ("Pipeline:CdnCaps:MaxEventTimeAhead", "00:10:00"));

        var caps = RuntimeOptions(host, PipelineApplications.CdnCaps);
        var sessions = RuntimeOptions(host, PipelineApplications.InstanceSessions);

        Assert.Equal((DeserializationErrorPolicy.Fail, TimeSpan.FromMinutes(10)), (caps.DeserializationErrors, caps.MaxEventTimeAhead));
        Assert.Equal((DeserializationErrorPolicy.DeadLetter, TimeSpan.FromMinutes(5)), (sessions.DeserializationErrors, sessions.MaxEventTimeAhead));
    }

    [Fact]
    public void NegativeMaxEventTimeAhead_FailsValidation_NamingItsSection()
    {
        using var host = Build(b => b.AddCdnUsageMessages(), ("Pipeline:CdnUsageMessages:MaxEventTimeAhead", "-00:01:00"));

        var error = Assert.Throws<OptionsValidationException>(() => RuntimeOptions(host, PipelineApplications.CdnUsageMessages));

        Assert.StartsWith("Pipeline:CdnUsageMessages: MaxEventTimeAhead must not be negative.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidSetting_FailsValidation_NamingItsSection()
    {
        using var host = Build(
            b => b.AddCdnCaps(),
            ("Pipeline:CdnCaps:Limits:0:Window", "00:15:00"),
            ("Pipeline:CdnCaps:Limits:0:Advance", "00:20:00"),
            ("Pipeline:CdnCaps:Limits:0:LimitGb", "100"));

        var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<CdnCapOptions>>().Value);

        Assert.StartsWith("Pipeline:CdnCaps: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EachApplication_HoldsProducersBack_OnlyOnTheTopicsItReadsFromOutside()
    {
        using var host = Build(
            b => b.AddInstanceSessions().AddCdnCaps().AddHourlyRollups().AddCdnUsageMessages(),
            ("Pipeline:HourlyRollups:ApplicationId", "rollups-a"));

        var groups = host.Services.GetServices<BackPressureGroup>().ToDictionary(g => g.GroupId, g => g.Topics!.Order(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);

        Assert.Equal(
            new Dictionary<string, List<string>>(StringComparer.Ordinal)
            {
                ["streambilling-sessions"] = [Topics.InstanceLaunched, Topics.InstanceTerminated],
                ["streambilling-cdn-caps"] = [Topics.CdnTraffic],
                ["streambilling-cdn-usage"] = [Topics.CdnCostExplorer],
                ["rollups-a"] = [Topics.PricedLines, Topics.UsageSegments], // not its repartition topic
            },
            groups);
    }

    [Fact]
    public async Task EachApplication_RegistersTheLateRecordEnvelope_UnderItsLateTopicsSubject()
    {
        using var host = Build(b => b.AddInstanceSessions().AddHourlyRollups(), ("Pipeline:HourlyRollups:ApplicationId", "rollups-a"));
        var registry = host.Services.GetRequiredService<ISchemaRegistryClient>();

        foreach (var name in new[] { PipelineApplications.InstanceSessions, PipelineApplications.HourlyRollups })
        {
            await host.Services.GetRequiredKeyedService<LateTopicSchemaRegistration>(name).StartAsync(TestContext.Current.CancellationToken);
        }

        var subjects = new[] { "rollups-a-late-records-value", Topics.InstanceTerminated + Topics.LateSuffix + "-value" };
        Assert.Equal(subjects, (await registry.GetAllSubjectsAsync()).Order(StringComparer.Ordinal));
        foreach (var subject in subjects)
        {
            Assert.Equal(Events.Outputs.LateRecord._SCHEMA.Fullname, Avro.Schema.Parse((await registry.GetLatestSchemaAsync(subject)).SchemaString).Fullname);
        }
    }

    [Fact]
    public void DisabledApplication_RegistersNeitherATopologyNorABackPressureGroup()
    {
        using var host = Build(b => b.AddCdnCaps().AddInstanceSessions(), ("Pipeline:CdnCaps:Enabled", "false"));

        Assert.Null(host.Services.GetKeyedService<Streams.Topology>(PipelineApplications.CdnCaps));
        Assert.Equal(["streambilling-sessions"], host.Services.GetServices<BackPressureGroup>().Select(g => g.GroupId));
    }

    [Fact]
    public void PricingAndInvoices_LoadTheRepositoryRateCard_AndKeepTheTopologysDefaults()
    {
        using var host = Build(b => b.AddPricing().AddInvoices(), ("Pipeline:Invoices:MonthCloseGrace", "1.00:00:00"));

        var pricing = host.Services.GetRequiredService<IOptions<PricingOptions>>().Value;
        var invoices = host.Services.GetRequiredService<IOptions<InvoiceOptions>>().Value;

        Assert.Equal(("streambilling-pricing", "streambilling.pricing"), (pricing.ApplicationId, pricing.Source));
        Assert.Equal(("streambilling-invoices", TimeSpan.FromDays(1)), (invoices.ApplicationId, invoices.MonthCloseGrace));
        Assert.Equal(Billing.RateCards.RateCard.Load("infra/rate-card.json").Versions.Select(v => v.Version), pricing.RateCard.Versions.Select(v => v.Version));
        Assert.Equal("USD", invoices.RateCard.Currency);
    }

    [Fact]
    public void RetentionSettings_ReachTheTopologyOptions_AndUnsetOnesKeepTheDefaults()
    {
        using var host = Build(
            b => b.AddPricing().AddInvoices(),
            ("Pipeline:Pricing:MediaRunRetention", "2.00:00:00"),
            ("Pipeline:Pricing:CdnMonthRetention", "3"),
            ("Pipeline:Invoices:ClosedMonthRetention", "40.00:00:00"));

        var pricing = host.Services.GetRequiredService<IOptions<PricingOptions>>().Value;
        var invoices = host.Services.GetRequiredService<IOptions<InvoiceOptions>>().Value;

        Assert.Equal((TimeSpan.FromDays(2), TimeSpan.FromDays(35), 3), (pricing.MediaRunRetention, pricing.UnpairedMediaRunRetention, pricing.CdnMonthRetention));
        Assert.Equal(TimeSpan.FromDays(40), invoices.ClosedMonthRetention);
    }

    [Theory]
    [InlineData("Pipeline:Pricing", "UnpairedMediaRunRetention", "00:00:00")]
    [InlineData("Pipeline:Invoices", "ClosedMonthRetention", "-1.00:00:00")]
    public void NonPositiveRetention_FailsValidation_NamingItsSection(string section, string key, string value)
    {
        using var host = Build(b => b.AddPricing().AddInvoices(), ($"{section}:{key}", value));

        var error = Assert.Throws<OptionsValidationException>(() => section == PipelineSections.Pricing
            ? (object)host.Services.GetRequiredService<IOptions<PricingOptions>>().Value
            : host.Services.GetRequiredService<IOptions<InvoiceOptions>>().Value);

        Assert.StartsWith($"{section}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Pipeline:Pricing", "no/such/rate-card.json")]
    [InlineData("Pipeline:Invoices", "no/such/rate-card.json")]
    [InlineData("Pipeline:Pricing", " ")]
    public void MissingRateCard_FailsValidation_NamingItsSection(string section, string path)
    {
        using var host = Build(b => b.AddPricing().AddInvoices(), ($"{section}:RateCardPath", path));

        var error = Assert.Throws<OptionsValidationException>(() => section == PipelineSections.Pricing
            ? (object)host.Services.GetRequiredService<IOptions<PricingOptions>>().Value
            : host.Services.GetRequiredService<IOptions<InvoiceOptions>>().Value);

        Assert.StartsWith($"{section}: RateCardPath", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PricingAndInvoices_HoldProducersBack_OnTheirOutsideSources_NotTheRepartitionTopic()
    {
        using var host = Build(b => b.AddPricing().AddInvoices(), ("Pipeline:Invoices:ApplicationId", "invoices-a"));

        var groups = host.Services.GetServices<BackPressureGroup>().ToDictionary(g => g.GroupId, g => g.Topics!.Order(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);

        Assert.Equal(
            new Dictionary<string, List<string>>(StringComparer.Ordinal)
            {
                ["streambilling-pricing"] =
                [
                    .. new[]
                    {
                        Topics.UsageSegments, Topics.ReservedInstancePurchased, Topics.S3BucketUsage, Topics.DynamoDbTableUsage, Topics.CdnCostExplorer,
                        Topics.MediaPackageEgress, Topics.CloudFrontEgress, Topics.RecordingStored, Topics.MediaLiveChannelStarted, Topics.MediaLiveChannelStopped,
                        Topics.MediaConvertJobStarted, Topics.MediaConvertJobFinished,
                    }.Order(StringComparer.Ordinal),
                ],
                ["invoices-a"] = [.. new[] { Topics.PricedLines, Topics.ElasticIpAllocated, Topics.ElasticIpReleased, Topics.ElasticIpAssociated, Topics.ElasticIpDisassociated }.Order(StringComparer.Ordinal)],
            },
            groups);
        Assert.NotNull(host.Services.GetKeyedService<Streams.Topology>(PipelineApplications.Pricing));
        Assert.NotNull(host.Services.GetKeyedService<Streams.Topology>(PipelineApplications.Invoices));
    }

    [Fact]
    public void DisabledPricing_RegistersNoTopology()
    {
        using var host = Build(b => b.AddPricing().AddInvoices(), ("Pipeline:Pricing:Enabled", "false"));

        Assert.Null(host.Services.GetKeyedService<Streams.Topology>(PipelineApplications.Pricing));
        Assert.Equal(["streambilling-invoices"], host.Services.GetServices<BackPressureGroup>().Select(g => g.GroupId));
    }

    private static KafkaStreamsOptions RuntimeOptions(IHost host, string application) =>
        host.Services.GetRequiredService<IOptionsMonitor<StreamApplicationSettings>>().Get(application).ToStreamsOptions(new StreamsHostSettings());

    private static IHost Build(Action<IHostApplicationBuilder> register, params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)));
        builder.Services.AddSingleton<ISchemaRegistryClient>(new InMemorySchemaRegistryClient());
        register(builder);
        return builder.Build();
    }
}
