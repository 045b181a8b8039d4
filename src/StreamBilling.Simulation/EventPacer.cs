using System.Runtime.CompilerServices;

namespace StreamBilling.Simulation;

/// <summary>Releases events at a target rate measured on a <see cref="TimeProvider"/> (a fake one in tests).</summary>
/// <remarks>
/// The pacer keeps to the average rate since the start, so a slow consumer is not followed by a burst larger than
/// <see cref="MaxBurst"/> events. It never reorders events.
/// </remarks>
public sealed class EventPacer
{
    private readonly TimeProvider _timeProvider;
    private readonly double _eventsPerSecond;

    // Shorter waits are below timer resolution; being up to this much ahead of schedule is harmless.
    private static readonly TimeSpan MinDelay = TimeSpan.FromMilliseconds(1);

    /// <summary>Creates a pacer for <paramref name="eventsPerSecond"/> events per second.</summary>
    public EventPacer(TimeProvider timeProvider, double eventsPerSecond)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(eventsPerSecond);
        _timeProvider = timeProvider;
        _eventsPerSecond = eventsPerSecond;
    }

    /// <summary>How many events may be released at once when the consumer fell behind.</summary>
    public int MaxBurst { get; init; } = 1000;

    /// <summary>Yields <paramref name="events"/> no faster than the target rate.</summary>
    public async IAsyncEnumerable<TEvent> PaceAsync<TEvent>(IEnumerable<TEvent> events, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        var startedAt = _timeProvider.GetTimestamp();
        long released = 0;
        foreach (var item in events)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var dueAt = TimeSpan.FromSeconds(released / _eventsPerSecond);
            var elapsed = _timeProvider.GetElapsedTime(startedAt);
            if (dueAt - elapsed >= MinDelay)
            {
                await Task.Delay(dueAt - elapsed, _timeProvider, cancellationToken);
            }
            else if (elapsed - dueAt > TimeSpan.FromSeconds(MaxBurst / _eventsPerSecond))
            {
                // Far behind (the consumer stalled): restart the schedule instead of catching up in one huge burst.
                startedAt = _timeProvider.GetTimestamp();
                released = 0;
            }

            released++;
            yield return item;
        }
    }
}
