using Confluent.SchemaRegistry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using StreamBilling.Kafka;
using StreamBilling.Pipeline.Cdn;
using StreamBilling.Pipeline.Invoicing;
using StreamBilling.Pipeline.Pricing;
using StreamBilling.Pipeline.Rollups;
using StreamBilling.Pipeline.Sessions;
using StreamBilling.Streams;

namespace StreamBilling.Pipeline.Hosting.Tests;

/// <summary>
/// Every configuration key that README.md, docs/ and infra/ document (as <c>Section:Key</c>, or <c>Section__Key</c> in the environment),
/// each set to a value other than its default, reaches the options it configures: renaming an options property renames
/// a documented key, and fails here.
/// </summary>
public sealed class DocumentedKeysTests
{
    private static readonly Dictionary<string, string?> Keys = new(StringComparer.Ordinal)
    {
        ["Streams:StateDirectory"] = "state-dir",
        ["Streams:InstanceId"] = "host-a",
        ["Storage:Provider"] = "Postgres",
        ["Storage:DuckDbPath"] = "usage.duckdb",
        ["Storage:ConnectionString"] = "Host=db;Database=billing",

        ["Pipeline:InstanceSessions:Enabled"] = "true",
        ["Pipeline:InstanceSessions:ApplicationId"] = "app-sessions",
        ["Pipeline:InstanceSessions:PersistentStores"] = "true",
        ["Pipeline:InstanceSessions:CommitInterval"] = "00:00:02",
        ["Pipeline:InstanceSessions:InstanceId"] = "sessions-1",
        ["Pipeline:InstanceSessions:DeserializationErrors"] = "Fail",
        ["Pipeline:InstanceSessions:MaxEventTimeAhead"] = "00:07:00",
        ["Pipeline:InstanceSessions:InterimDelay"] = "00:30:00",
        ["Pipeline:InstanceSessions:DuplicateRetention"] = "2.00:00:00",
        ["Pipeline:InstanceSessions:OrphanRetention"] = "3.00:00:00",

        ["Pipeline:CdnCaps:ApplicationId"] = "app-caps",
        ["Pipeline:CdnCaps:PersistentStores"] = "true",
        ["Pipeline:CdnCaps:Limits:0:Window"] = "00:30:00",
        ["Pipeline:CdnCaps:Limits:0:Advance"] = "00:05:00",
        ["Pipeline:CdnCaps:Limits:0:LimitGb"] = "250.5",
        ["Pipeline:CdnCaps:Grace"] = "00:09:00",

        ["Pipeline:HourlyRollups:Enabled"] = "false",
        ["Pipeline:HourlyRollups:ApplicationId"] = "app-rollups",
        ["Pipeline:HourlyRollups:Grace"] = "1.00:00:00",
        ["Pipeline:HourlyRollups:Currency"] = "EUR",

        ["Pipeline:CdnUsageMessages:ApplicationId"] = "app-cdn-usage",
        ["Pipeline:CdnUsageMessages:Period"] = "12:00:00",
        ["Pipeline:CdnUsageMessages:SettleDelay"] = "02:00:00",
        ["Pipeline:CdnUsageMessages:DuplicateRetention"] = "10.00:00:00",
        ["Pipeline:CdnUsageMessages:CheckInterval"] = "00:10:00",

        ["Pipeline:Pricing:ApplicationId"] = "app-pricing",
        ["Pipeline:Pricing:Source"] = "pricing-source",
        ["Pipeline:Pricing:RateCardPath"] = "infra/rate-card.json",
        ["Pipeline:Pricing:CdnMonthRetention"] = "4",
        ["Pipeline:Pricing:MediaRunRetention"] = "2.00:00:00",
        ["Pipeline:Pricing:UnpairedMediaRunRetention"] = "20.00:00:00",

        ["Pipeline:Invoices:ApplicationId"] = "app-invoices",
        ["Pipeline:Invoices:Source"] = "invoices-source",
        ["Pipeline:Invoices:RateCardPath"] = "infra/rate-card.json",
        ["Pipeline:Invoices:MonthCloseGrace"] = "1.00:00:00",
        ["Pipeline:Invoices:ClosedMonthRetention"] = "40.00:00:00",

        ["Pipeline:CdnController:Enabled"] = "false",
        ["Pipeline:CdnController:GroupId"] = "group-controller",
        ["Pipeline:RollupSink:Enabled"] = "false",
        ["Pipeline:RollupSink:GroupId"] = "group-rollups",
        ["Pipeline:RollupSink:MaxBatchSize"] = "11",
        ["Pipeline:InvoiceSink:Enabled"] = "false",
        ["Pipeline:InvoiceSink:GroupId"] = "group-invoices",
        ["Pipeline:InvoiceSink:MaxBatchSize"] = "12",
        ["Pipeline:DailyUsageSink:Enabled"] = "false",
        ["Pipeline:DailyUsageSink:GroupId"] = "group-daily",
        ["Pipeline:DailyUsageSink:EstimatesGroupId"] = "group-daily-estimates",
        ["Pipeline:DailyUsageSink:MaxBatchSize"] = "13",
    };

    [Fact]
    public void EveryDocumentedKey_ReachesItsOptions()
    {
        using var host = Build(Keys);

        var sessions = Options<InstanceSessionOptions>(host);
        Assert.Equal(
            ("app-sessions", true, TimeSpan.FromMinutes(30), TimeSpan.FromDays(2), TimeSpan.FromDays(3)),
            (sessions.ApplicationId, sessions.PersistentStores, sessions.InterimDelay, sessions.DuplicateRetention, sessions.OrphanRetention));
        var caps = Options<CdnCapOptions>(host);
        Assert.Equal(("app-caps", true, TimeSpan.FromMinutes(9)), (caps.ApplicationId, caps.PersistentStores, caps.Grace));
        Assert.Equal([new CdnCapLimit(TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(5), 250.5m)], caps.Limits);
        Assert.Equal(250_500_000_000, caps.Limits[0].LimitBytes);
        var rollups = Options<HourlyRollupOptions>(host);
        Assert.Equal(("app-rollups", TimeSpan.FromDays(1), "EUR"), (rollups.ApplicationId, rollups.Grace, rollups.Currency));
        var usage = Options<CdnUsageMessageOptions>(host);
        Assert.Equal(
            ("app-cdn-usage", TimeSpan.FromHours(12), TimeSpan.FromHours(2), TimeSpan.FromDays(10), TimeSpan.FromMinutes(10)),
            (usage.ApplicationId, usage.Period, usage.SettleDelay, usage.DuplicateRetention, usage.CheckInterval));
        var pricing = Options<PricingOptions>(host);
        Assert.Equal(
            ("app-pricing", "pricing-source", 4, TimeSpan.FromDays(2), TimeSpan.FromDays(20)),
            (pricing.ApplicationId, pricing.Source, pricing.CdnMonthRetention, pricing.MediaRunRetention, pricing.UnpairedMediaRunRetention));
        Assert.Equal("USD", pricing.RateCard.Currency);
        var invoices = Options<InvoiceOptions>(host);
        Assert.Equal(
            ("app-invoices", "invoices-source", TimeSpan.FromDays(1), TimeSpan.FromDays(40)),
            (invoices.ApplicationId, invoices.Source, invoices.MonthCloseGrace, invoices.ClosedMonthRetention));
        Assert.Equal("USD", invoices.RateCard.Currency);

        var runtime = host.Services.GetRequiredService<IOptionsMonitor<StreamApplicationSettings>>();
        var sessionsRuntime = runtime.Get(PipelineApplications.InstanceSessions);
        Assert.Equal(
            (true, TimeSpan.FromSeconds(2), "sessions-1", DeserializationErrorPolicy.Fail, TimeSpan.FromMinutes(7)),
            (sessionsRuntime.Enabled, sessionsRuntime.CommitInterval, sessionsRuntime.InstanceId, sessionsRuntime.DeserializationErrors, sessionsRuntime.MaxEventTimeAhead));
        Assert.False(runtime.Get(PipelineApplications.HourlyRollups).Enabled);
        Assert.Null(host.Services.GetKeyedService<Topology>(PipelineApplications.HourlyRollups));

        var streams = Options<StreamsHostSettings>(host);
        Assert.Equal(("state-dir", "host-a"), (streams.StateDirectory, streams.InstanceId));
        var store = Options<UsageStoreSettings>(host);
        Assert.Equal(("Postgres", "usage.duckdb", "Host=db;Database=billing"), (store.Provider, store.DuckDbPath, store.ConnectionString));
        var controller = Options<CdnControllerSettings>(host);
        Assert.Equal((false, "group-controller"), (controller.Enabled, controller.GroupId));
        var rollupSink = Options<RollupSinkSettings>(host);
        Assert.Equal((false, "group-rollups", 11), (rollupSink.Enabled, rollupSink.GroupId, rollupSink.MaxBatchSize));
        var invoiceSink = Options<InvoiceSinkSettings>(host);
        Assert.Equal((false, "group-invoices", 12), (invoiceSink.Enabled, invoiceSink.GroupId, invoiceSink.MaxBatchSize));
        var daily = Options<DailyUsageSinkSettings>(host);
        Assert.Equal((false, "group-daily", "group-daily-estimates", 13), (daily.Enabled, daily.GroupId, daily.EstimatesGroupId, daily.MaxBatchSize));
    }

    private static T Options<T>(IHost host)
        where T : class => host.Services.GetRequiredService<IOptions<T>>().Value;

    private static IHost Build(IEnumerable<KeyValuePair<string, string?>> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton<ISchemaRegistryClient>(new InMemorySchemaRegistryClient());
        builder.AddBillingTopologies().AddCdnController().AddRollupSink().AddInvoiceSink().AddDailyUsageSink().AddUsageStore();
        return builder.Build();
    }
}
