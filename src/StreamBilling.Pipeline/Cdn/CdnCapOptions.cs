using StreamBilling.Contracts;

namespace StreamBilling.Pipeline.Cdn;

/// <summary>Settings of the CdnCaps topology; the defaults are 100 GB in any 15 min and 500 GB in any 3 h (docs/pipeline.md, CdnCaps).</summary>
public sealed class CdnCapOptions
{
    /// <summary>Application id: consumer group and prefix of the changelog topics.</summary>
    public string ApplicationId { get; set; } = "streambilling-cdn-caps";

    /// <summary>Value of the <c>source</c> field of every decision.</summary>
    public string Source { get; set; } = "streambilling.cdn-caps";

    /// <summary>The caps: by default 100 GB in 15 minutes (advance 1 minute) and 500 GB in 3 hours (advance 5 minutes).</summary>
    public IReadOnlyList<CdnCapLimit> Limits { get; set; } =
    [
        new(TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(1), 100m),
        new(TimeSpan.FromHours(3), TimeSpan.FromMinutes(5), 500m),
    ];

    /// <summary>
    /// How long after its end a window still accepts CloudWatch data (measured in stream time, i.e. publish time): covers
    /// the sample period plus CloudWatch's publication lag.
    /// </summary>
    public TimeSpan Grace { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Late-records topic; the CDN topic's <c>.late</c> topic by default.</summary>
    public string LateRecordsTopic { get; set; } = Topics.CdnTraffic + Topics.LateSuffix;

    /// <summary>Keep window stores in RocksDB instead of memory (both are changelogged).</summary>
    public bool PersistentStores { get; set; }

    /// <summary>
    /// How often each process re-reads the CDN registry from the store (default 30 s): the longest a customer added to the
    /// registry may still see its samples sent to the late topic as <c>unknown-customer</c>.
    /// </summary>
    public TimeSpan RegistryRefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RegistryRefreshInterval, TimeSpan.Zero);
        ArgumentException.ThrowIfNullOrWhiteSpace(ApplicationId);
        ArgumentException.ThrowIfNullOrWhiteSpace(Source);
        ArgumentException.ThrowIfNullOrWhiteSpace(LateRecordsTopic);
        ArgumentNullException.ThrowIfNull(Limits);
        if (Limits.Count == 0)
        {
            throw new ArgumentException("At least one CDN cap is required.", nameof(Limits));
        }

        foreach (var limit in Limits)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(limit.LimitBytes, 0);
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(limit.Advance, TimeSpan.Zero);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(limit.Advance, limit.Window);
        }

        if (Limits.Select(l => l.Name).Distinct(StringComparer.Ordinal).Count() != Limits.Count)
        {
            throw new ArgumentException("Two CDN caps have the same window length.", nameof(Limits));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(Grace, TimeSpan.Zero);
    }
}
