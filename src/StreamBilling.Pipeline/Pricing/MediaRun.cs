namespace StreamBilling.Pipeline.Pricing;

/// <summary>
/// One end of a media run (a MediaLive channel start or stop, a MediaConvert job start or finish), and the state of a
/// run in the store <c>medialive-runs</c> (key channelId) or <c>mediaconvert-runs</c> (key jobId): the start and the end as they arrived, in any order.
/// </summary>
internal sealed record MediaEdge(bool IsStart, string EventId, string AccountId, string Region, DateTimeOffset Time, int InputCount, int OutputCount);

/// <summary>A run's ends as far as they arrived.</summary>
internal sealed class MediaRun
{
    /// <summary>The start, once it arrived.</summary>
    public MediaEdge? Start { get; set; }

    /// <summary>The end, once it arrived.</summary>
    public MediaEdge? End { get; set; }

    /// <summary>
    /// Stream time at which the run's one end was sent to the late-records topic because its other end did not come
    /// within <see cref="PricingOptions.UnpairedMediaRunRetention"/>; the other end, if it comes, follows it there.
    /// </summary>
    public DateTimeOffset? ReportedAt { get; set; }
}
