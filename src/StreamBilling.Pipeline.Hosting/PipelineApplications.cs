namespace StreamBilling.Pipeline.Hosting;

/// <summary>
/// Names of the billing stream applications in a host: keys of <c>KafkaStreamsRegistry.Applications</c> and of the keyed
/// <c>Topology</c> services the <c>AddXxx</c> registrations add (for health checks, progress reports and tests).
/// </summary>
public static class PipelineApplications
{
    /// <summary>InstanceSessions (<see cref="PipelineHostBuilderExtensions.AddInstanceSessions"/>).</summary>
    public const string InstanceSessions = "instance-sessions";

    /// <summary>CdnCaps (<see cref="PipelineHostBuilderExtensions.AddCdnCaps"/>).</summary>
    public const string CdnCaps = "cdn-caps";

    /// <summary>HourlyRollups (<see cref="PipelineHostBuilderExtensions.AddHourlyRollups"/>).</summary>
    public const string HourlyRollups = "hourly-rollups";

    /// <summary>CDN usage billing messages (<see cref="PipelineHostBuilderExtensions.AddCdnUsageMessages"/>).</summary>
    public const string CdnUsageMessages = "cdn-usage-messages";

    /// <summary>Pricing (<see cref="PipelineHostBuilderExtensions.AddPricing"/>).</summary>
    public const string Pricing = "pricing";

    /// <summary>Invoices (<see cref="PipelineHostBuilderExtensions.AddInvoices"/>).</summary>
    public const string Invoices = "invoices";

    /// <summary>Every application <see cref="PipelineHostBuilderExtensions.AddBillingTopologies"/> registers, first stage first.</summary>
    public static IReadOnlyList<string> All { get; } = [InstanceSessions, Pricing, CdnCaps, CdnUsageMessages, HourlyRollups, Invoices];
}
