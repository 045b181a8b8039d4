namespace StreamBilling.Pipeline.Hosting;

/// <summary>
/// Configuration sections of the billing stream applications: each binds onto the topology's options type (e.g.
/// <c>Pipeline:CdnCaps</c> onto <see cref="Cdn.CdnCapOptions"/>) and onto the application's <see cref="StreamApplicationSettings"/>.
/// </summary>
public static class PipelineSections
{
    /// <summary><see cref="PipelineApplications.InstanceSessions"/>: <see cref="Sessions.InstanceSessionOptions"/>.</summary>
    public const string InstanceSessions = "Pipeline:InstanceSessions";

    /// <summary><see cref="PipelineApplications.CdnCaps"/>: <see cref="Cdn.CdnCapOptions"/>.</summary>
    public const string CdnCaps = "Pipeline:CdnCaps";

    /// <summary><see cref="PipelineApplications.HourlyRollups"/>: <see cref="Rollups.HourlyRollupOptions"/>.</summary>
    public const string HourlyRollups = "Pipeline:HourlyRollups";

    /// <summary><see cref="PipelineApplications.CdnUsageMessages"/>: <see cref="Cdn.CdnUsageMessageOptions"/>.</summary>
    public const string CdnUsageMessages = "Pipeline:CdnUsageMessages";

    /// <summary><see cref="PipelineApplications.Pricing"/>: <see cref="Pricing.PricingOptions"/>, plus <c>RateCardPath</c>.</summary>
    public const string Pricing = "Pipeline:Pricing";

    /// <summary><see cref="PipelineApplications.Invoices"/>: <see cref="Invoicing.InvoiceOptions"/>, plus <c>RateCardPath</c>.</summary>
    public const string Invoices = "Pipeline:Invoices";
}
