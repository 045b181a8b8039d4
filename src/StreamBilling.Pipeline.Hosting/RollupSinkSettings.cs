using StreamBilling.Pipeline.Rollups;

namespace StreamBilling.Pipeline.Hosting;

/// <summary>The loop that upserts <c>rollups.hourly</c> into the rollup store (section <c>Pipeline:RollupSink</c>).</summary>
public sealed class RollupSinkSettings
{
    /// <summary>Configuration section the settings bind from.</summary>
    public const string SectionName = "Pipeline:RollupSink";

    /// <summary>Whether this process runs the sink.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Consumer group reading <c>rollups.hourly</c>.</summary>
    public string GroupId { get; set; } = RollupSink.DefaultGroupId;

    /// <summary>Most records upserted (and committed) together; a batch also ends when no record is waiting.</summary>
    public int MaxBatchSize { get; set; } = 5_000;
}
