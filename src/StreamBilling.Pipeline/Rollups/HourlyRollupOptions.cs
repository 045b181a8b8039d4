namespace StreamBilling.Pipeline.Rollups;

/// <summary>Settings of the HourlyRollups topology.</summary>
public sealed class HourlyRollupOptions
{
    /// <summary>
    /// Application id: consumer group and prefix of the changelog and late-records topics. The "-2" marks the state
    /// layout partitioned by account (no repartition topic): stores of the earlier layout, partitioned by account and
    /// <c>region#role</c>, must not be restored into it, so a deployment that ran it starts this one from the input.
    /// </summary>
    public string ApplicationId { get; set; } = "streambilling-rollups-2";

    /// <summary>Value of the <c>source</c> field of every rollup.</summary>
    public string Source { get; set; } = "streambilling.rollups";

    /// <summary>
    /// How long after its end an hour still takes corrections (measured in stream time): covers late terminates that
    /// void interim slices and priced lines of usage that is reported late (Cost Explorer is about 24 h behind).
    /// </summary>
    public TimeSpan Grace { get; set; } = TimeSpan.FromDays(3);

    /// <summary>Currency of the rolled-up cost; priced lines in another currency go to the late-records topic.</summary>
    public string Currency { get; set; } = "USD";

    /// <summary>Late-records topic (contributions for closed hours, other currencies); <c>&lt;applicationId&gt;-late-records</c> by default.</summary>
    public string? LateRecordsTopic { get; set; }

    /// <summary>Keep the stores in RocksDB instead of memory (both are changelogged).</summary>
    public bool PersistentStores { get; set; }

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ApplicationId);
        ArgumentException.ThrowIfNullOrWhiteSpace(Source);
        ArgumentException.ThrowIfNullOrWhiteSpace(Currency);
        ArgumentOutOfRangeException.ThrowIfLessThan(Grace, TimeSpan.Zero);
    }
}
