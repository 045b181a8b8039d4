using StreamBilling.Contracts;

namespace StreamBilling.Pipeline.Sessions;

/// <summary>Settings of the InstanceSessions topology.</summary>
public sealed class InstanceSessionOptions
{
    /// <summary>Application id: consumer group and prefix of the changelog topic.</summary>
    public string ApplicationId { get; set; } = "streambilling-sessions";

    /// <summary>Value of the <c>source</c> field of every segment.</summary>
    public string Source { get; set; } = "streambilling.sessions";

    /// <summary>State store of per-instance sessions (stable: it names the changelog topic).</summary>
    public string StoreName { get; set; } = "instance-sessions";

    /// <summary>
    /// How far behind stream time interim slices of open sessions are cut: an hour is reported once stream time passed
    /// its end plus this delay. Zero reports each hour as soon as it completes; a larger value saves void corrections when
    /// terminates arrive late.
    /// </summary>
    public TimeSpan InterimDelay { get; set; } = TimeSpan.Zero;

    /// <summary>How long a closed session's event ids are remembered to drop re-sent duplicates (measured in stream time from its end).</summary>
    public TimeSpan DuplicateRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long a terminate waits for its launch before it goes to the late-records topic.</summary>
    public TimeSpan OrphanRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Keep the session store in RocksDB instead of memory (both are changelogged).</summary>
    public bool PersistentStores { get; set; }

    /// <summary>Late-records topic (terminates that never met a launch); the terminate topic's <c>.late</c> topic by default.</summary>
    public string LateRecordsTopic { get; set; } = Topics.InstanceTerminated + Topics.LateSuffix;

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ApplicationId);
        ArgumentException.ThrowIfNullOrWhiteSpace(Source);
        ArgumentException.ThrowIfNullOrWhiteSpace(StoreName);
        ArgumentException.ThrowIfNullOrWhiteSpace(LateRecordsTopic);
        ArgumentOutOfRangeException.ThrowIfLessThan(InterimDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(DuplicateRetention, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(OrphanRetention, TimeSpan.Zero);
    }
}
