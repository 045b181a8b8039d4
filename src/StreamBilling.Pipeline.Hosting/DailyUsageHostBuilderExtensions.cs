using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using StreamBilling.Events.Cdn;
using StreamBilling.Events.Outputs;
using StreamBilling.Pipeline.DailyUsage;
using StreamBilling.Pipeline.Sinks;
using StreamBilling.Storage;

namespace StreamBilling.Pipeline.Hosting;

/// <summary>Registers the daily usage view: its store, the sink that fills it and the report that reads it.</summary>
public static class DailyUsageHostBuilderExtensions
{
    /// <summary>
    /// The daily usage sink (section <c>Pipeline:DailyUsageSink</c>): two loops, priced lines of <c>billing.priced-lines</c>
    /// (group <c>GroupId</c>) and CloudWatch samples of <c>usage.cdn.traffic</c> (group <c>EstimatesGroupId</c>), each
    /// storing a batch and only then committing. Adds the store (<see cref="AddDailyUsageStore"/>).
    /// </summary>
    public static IHostApplicationBuilder AddDailyUsageSink(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var section = builder.Configuration.GetSection(DailyUsageSinkSettings.SectionName);
        builder.Services.AddOptions<DailyUsageSinkSettings>()
            .Bind(section)
            .Validate(s => !string.IsNullOrWhiteSpace(s.GroupId), $"{DailyUsageSinkSettings.SectionName}:GroupId must not be empty.")
            .Validate(s => !string.IsNullOrWhiteSpace(s.EstimatesGroupId), $"{DailyUsageSinkSettings.SectionName}:EstimatesGroupId must not be empty.")
            .Validate(s => s.GroupId != s.EstimatesGroupId, $"{DailyUsageSinkSettings.SectionName}:GroupId and EstimatesGroupId must differ (each loop commits its own topic).")
            .Validate(s => s.MaxBatchSize >= 1, $"{DailyUsageSinkSettings.SectionName}:MaxBatchSize must be at least 1.")
            .ValidateOnStart();
        if (!section.GetValue(nameof(DailyUsageSinkSettings.Enabled), defaultValue: true))
        {
            return builder;
        }

        builder.AddDailyUsageStore();
        builder.Services.TryAddSingleton(sp => new DailyUsageSink(sp.GetRequiredService<IDailyUsageStore>()));
        static DailyUsageSinkSettings Settings(IServiceProvider sp) => sp.GetRequiredService<IOptions<DailyUsageSinkSettings>>().Value;
        builder.Services.AddStoreSink<PricedLineItem, DailyUsageSink>(
            sp => sp.GetRequiredService<DailyUsageSink>().LinesDefinition, sp => Settings(sp).GroupId, sp => Settings(sp).MaxBatchSize);
        builder.Services.AddStoreSink<CdnTraffic, DailyUsageSink>(
            sp => sp.GetRequiredService<DailyUsageSink>().EstimatesDefinition, sp => Settings(sp).EstimatesGroupId, sp => Settings(sp).MaxBatchSize);
        return builder;
    }

    /// <summary>
    /// <see cref="IDailyUsageStore"/>: the daily usage view of the usage store (<see cref="PipelineHostBuilderExtensions.AddUsageStore"/>,
    /// section <c>Storage</c>); the DuckDB store has one. Calling it again changes nothing.
    /// </summary>
    public static IHostApplicationBuilder AddDailyUsageStore(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddUsageStore();
        builder.Services.TryAddSingleton(sp => DailyUsageStores.Of(sp.GetRequiredService<IUsageStore>()));
        return builder;
    }

    /// <summary>
    /// <see cref="DailyUsageReport"/> over the daily usage view, pricing CDN estimates with the pricing stream's rate card
    /// (<c>Pipeline:Pricing:RateCardPath</c>, loaded when first needed). Adds the store (<see cref="AddDailyUsageStore"/>).
    /// </summary>
    public static IHostApplicationBuilder AddDailyUsageReport(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddDailyUsageStore();
        builder.Services.TryAddSingleton(sp =>
        {
            var path = sp.GetRequiredService<IConfiguration>().GetSection(PipelineSections.Pricing).GetValue<string>(RateCardFiles.PathKey)
                ?? RateCardFiles.DefaultPath;
            return new DailyUsageReport(sp.GetRequiredService<IDailyUsageStore>(), RateCardFiles.Load(path, $"{PipelineSections.Pricing}:{RateCardFiles.PathKey}"));
        });
        return builder;
    }
}
