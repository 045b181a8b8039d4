namespace StreamBilling.Pipeline.Cdn;

/// <summary>
/// The CloudWatch samples of one customer whose usage time falls in one bucket (15 minutes by default): the caps'
/// de-duplication set and the source the slice totals are rebuilt from.
/// </summary>
/// <remarks>
/// One store entry per customer and bucket, not per sample: the store logs an entry once per commit however many samples
/// it took since, so the changelog carries a few entries per customer and commit instead of one or more per sample.
/// </remarks>
internal sealed class CdnSampleBucket
{
    public List<Sample> Samples { get; } = [];

    public bool Contains(string eventId)
    {
        foreach (var sample in Samples)
        {
            if (string.Equals(sample.EventId, eventId, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Bytes of the samples whose usage time is in [<paramref name="from"/>, <paramref name="until"/>) (ticks).</summary>
    public long BytesBetween(long from, long until)
    {
        var bytes = 0L;
        foreach (var sample in Samples)
        {
            if (sample.UsageTicks >= from && sample.UsageTicks < until)
            {
                bytes += sample.Bytes;
            }
        }

        return bytes;
    }

    /// <summary>One sample: its eventId, usage time (periodStart, UTC ticks) and bytes.</summary>
    internal readonly record struct Sample(string EventId, long UsageTicks, long Bytes);
}
