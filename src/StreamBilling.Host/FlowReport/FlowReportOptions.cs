namespace StreamBilling.Host.FlowReport;

/// <summary>The per-topic flow report (section <c>FlowReport</c>).</summary>
public sealed class FlowReportOptions
{
    /// <summary>Configuration section the options bind from.</summary>
    public const string SectionName = "FlowReport";

    /// <summary>Whether the report runs.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often a progress line is printed.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);
}
