using StreamBilling.Billing.RateCards;

namespace StreamBilling.Pipeline.Pricing;

/// <summary>Settings of the Pricing topology.</summary>
public sealed class PricingOptions
{
    /// <summary>Application id: consumer group and prefix of the changelog topic.</summary>
    public string ApplicationId { get; set; } = "streambilling-pricing";

    /// <summary>Value of the <c>source</c> field of every priced line.</summary>
    public string Source { get; set; } = "streambilling.pricing";

    /// <summary>The versioned rate card every price comes from (<c>infra/rate-card.json</c> via <see cref="RateCard.Load"/>).</summary>
    public required RateCard RateCard { get; set; }

    /// <summary>Store of the line ids each segment priced to (stable: it names the changelog topic).</summary>
    public string StoreName { get; set; } = "priced-segments";

    /// <summary>Store of each customer's month-to-date CDN GB (graduated tiers) and the figures counted (stable: it names the changelog topic).</summary>
    public string CdnStoreName { get; set; } = "cdn-month-to-date";

    /// <summary>Store pairing the starts and stops of MediaLive channel runs (stable: it names the changelog topic).</summary>
    public string MediaLiveStoreName { get; set; } = "medialive-runs";

    /// <summary>Store pairing the starts and ends of MediaConvert jobs (stable: it names the changelog topic).</summary>
    public string MediaConvertStoreName { get; set; } = "mediaconvert-runs";

    /// <summary>
    /// Months of CDN state kept behind a customer's newest month (default 2: a Cost Explorer figure for the month before
    /// last still finds its month-to-date GB and its re-sends); older months are dropped when a new month starts.
    /// </summary>
    public int CdnMonthRetention { get; set; } = 2;

    /// <summary>
    /// How long a MediaLive run or MediaConvert job with both ends (priced) stays in its store after its later end, in
    /// stream time, so a re-sent start or end is recognised and not priced twice (default 7 days). A start or end older
    /// than this that finds no run goes to the late-records topic (<c>run-pruned</c>): its run may have been priced and
    /// removed.
    /// </summary>
    public TimeSpan MediaRunRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// How long a start waits for its end (or an end for its start), in stream time from its own time (default 35 days:
    /// far past any breakout or transcoding job); then it goes to the late-records topic (<c>unpaired-run</c>), and so
    /// does its other end if it still comes within <see cref="MediaRunRetention"/>.
    /// </summary>
    public TimeSpan UnpairedMediaRunRetention { get; set; } = TimeSpan.FromDays(35);

    /// <summary>Keep the stores in RocksDB instead of memory (both are changelogged).</summary>
    public bool PersistentStores { get; set; }

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ApplicationId);
        ArgumentException.ThrowIfNullOrWhiteSpace(Source);
        ArgumentException.ThrowIfNullOrWhiteSpace(StoreName);
        ArgumentException.ThrowIfNullOrWhiteSpace(CdnStoreName);
        ArgumentException.ThrowIfNullOrWhiteSpace(MediaLiveStoreName);
        ArgumentException.ThrowIfNullOrWhiteSpace(MediaConvertStoreName);
        ArgumentOutOfRangeException.ThrowIfLessThan(CdnMonthRetention, 1, nameof(CdnMonthRetention));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(MediaRunRetention, TimeSpan.Zero, nameof(MediaRunRetention));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(UnpairedMediaRunRetention, TimeSpan.Zero, nameof(UnpairedMediaRunRetention));
        ArgumentNullException.ThrowIfNull(RateCard);
        // A tiered rate on a usage type whose pricer keeps no month-to-date quantity is refused when the rate card loads.
    }
}
