using System.Text.Json.Serialization;

namespace StreamBilling.Pipeline.Sessions;

/// <summary>
/// Everything the join keeps for one instance id: running sessions, terminates still waiting for their launch, and
/// recently closed sessions (their event ids, so re-sent duplicates are recognised).
/// </summary>
internal sealed record InstanceState
{
    public List<OpenSession> Open { get; init; } = [];

    public List<InstanceEvent> Orphans { get; init; } = [];

    public List<ClosedSession> Closed { get; init; } = [];

    [JsonIgnore]
    public bool IsEmpty => Open.Count == 0 && Orphans.Count == 0 && Closed.Count == 0;
}

/// <summary>A launched session: <see cref="ReportedUntil"/> is the end of the last interim slice emitted (the start until one is).</summary>
internal sealed record OpenSession(InstanceEvent Launch, DateTimeOffset ReportedUntil);

/// <summary>A session that ended; kept for duplicate detection until stream time passes <see cref="End"/> plus the retention.</summary>
internal sealed record ClosedSession(string LaunchEventId, string TerminateEventId, DateTimeOffset End);
