namespace StreamBilling.Pipeline.Cdn;

/// <summary>Settings of the CDN usage billing message topology (<c>EVENT_CDN_USAGE</c>, one per customer and period: docs/pipeline.md, CDN usage billing messages).</summary>
public sealed class CdnUsageMessageOptions
{
    /// <summary>Application id: consumer group and prefix of the changelog topic.</summary>
    public string ApplicationId { get; set; } = "streambilling-cdn-usage";

    /// <summary>Value of the <c>source</c> field of every message.</summary>
    public string Source { get; set; } = "streambilling.cdn-usage";

    /// <summary>Length of a billing period; periods are aligned to the Unix epoch (UTC midnight for 24 h).</summary>
    public TimeSpan Period { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// How long after a period ends (in stream time, i.e. publish time) its message waits for Cost Explorer figures, which
    /// arrive about 24 h after the usage.
    /// </summary>
    public TimeSpan SettleDelay { get; set; } = TimeSpan.FromHours(25);

    /// <summary>How long Cost Explorer eventIds are remembered (after their period was billed) to drop re-sent figures.</summary>
    public TimeSpan DuplicateRetention { get; set; } = TimeSpan.FromDays(35);

    /// <summary>Stream-time interval at which settled periods are looked for.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Wall-clock time without a new record after which the input counts as silent and settled periods are sent as the wall
    /// clock moves on (<see cref="SilentInputClock"/>), so a customer hears at least every <see cref="Period"/> even when
    /// no figures arrive. <see langword="null"/>: stream time only.
    /// </summary>
    public TimeSpan? SilentAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Wall-clock interval at which a silent input is looked at.</summary>
    public TimeSpan SilenceCheckInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Keep the store in RocksDB instead of memory (both are changelogged).</summary>
    public bool PersistentStores { get; set; }

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ApplicationId);
        ArgumentException.ThrowIfNullOrWhiteSpace(Source);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Period, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Period, TimeSpan.FromDays(1));
        ArgumentOutOfRangeException.ThrowIfLessThan(SettleDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(DuplicateRetention, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(CheckInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(SilenceCheckInterval, TimeSpan.Zero);
        if (SilentAfter is { } silent)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(silent, TimeSpan.Zero, nameof(SilentAfter));
        }
    }
}
