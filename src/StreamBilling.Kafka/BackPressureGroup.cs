namespace StreamBilling.Kafka;

/// <summary>
/// A consumer group that back-pressure producers wait for: while it lags more than the bound on a partition of a topic it
/// reads, sends to that topic pause. Components that consume usage in the host register one each, so the simulator never
/// outruns them on the embedded cluster (whose 5 MB per-partition cap would otherwise drop unread records).
/// </summary>
/// <param name="GroupId">The consumer group id.</param>
/// <param name="Topics">Topics the group reads; <see langword="null"/> for every topic. Sends to other topics never wait for it.</param>
public sealed record BackPressureGroup(string GroupId, IReadOnlySet<string>? Topics = null)
{
    /// <summary>Whether the group reads <paramref name="topic"/>.</summary>
    public bool Reads(string topic) => Topics is null || Topics.Contains(topic);
}
