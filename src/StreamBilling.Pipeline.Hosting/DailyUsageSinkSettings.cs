using StreamBilling.Pipeline.DailyUsage;

namespace StreamBilling.Pipeline.Hosting;

/// <summary>
/// The loops that fill the daily usage view (section <c>Pipeline:DailyUsageSink</c>): priced lines from
/// <c>billing.priced-lines</c> and CloudWatch CDN samples from <c>usage.cdn.traffic</c>.
/// </summary>
public sealed class DailyUsageSinkSettings
{
    /// <summary>Configuration section the settings bind from.</summary>
    public const string SectionName = "Pipeline:DailyUsageSink";

    /// <summary>Whether this process runs the sink.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Consumer group reading <c>billing.priced-lines</c>.</summary>
    public string GroupId { get; set; } = DailyUsageSink.DefaultGroupId;

    /// <summary>Consumer group reading <c>usage.cdn.traffic</c> (the CloudWatch estimates).</summary>
    public string EstimatesGroupId { get; set; } = DailyUsageSink.DefaultEstimatesGroupId;

    /// <summary>Most records stored (and committed) together per loop; a batch also ends when no record is waiting.</summary>
    public int MaxBatchSize { get; set; } = 5_000;
}
