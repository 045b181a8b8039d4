using StreamBilling.Kafka;

namespace StreamBilling.Host.FlowReport;

/// <summary>Registers the per-topic flow report with a host.</summary>
public static class FlowReportHostBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="FlowReportOptions"/> (section <c>FlowReport</c>) and, when enabled, the hosted service that counts the
    /// records of every catalog topic through its own consumer group, which producers in the host wait for (back-pressure).
    /// Register before the producers, so it stops after them and its final counts include all they sent.
    /// </summary>
    public static IHostApplicationBuilder AddTopicFlowReport(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var section = builder.Configuration.GetSection(FlowReportOptions.SectionName);
        builder.Services.AddOptions<FlowReportOptions>()
            .Bind(section)
            .Validate(o => o.Interval >= TimeSpan.FromMilliseconds(100), "FlowReport:Interval must be at least 100 ms.")
            .ValidateOnStart();
        if (section.GetValue(nameof(FlowReportOptions.Enabled), defaultValue: true))
        {
            builder.Services.AddSingleton<TopicFlowReporter>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<TopicFlowReporter>());
            builder.Services.AddSingleton(new BackPressureGroup(TopicFlowReporter.GroupId));
        }

        return builder;
    }
}
