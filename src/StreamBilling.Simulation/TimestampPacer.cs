using System.Runtime.CompilerServices;

namespace StreamBilling.Simulation;

/// <summary>
/// Releases simulated events as their <see cref="SimulatedEvent.Timestamp"/>s come due on a <see cref="TimeProvider"/>, optionally
/// sped up: with a speed-up of 60, one simulated hour passes in one minute. Use it to replay a day "live"; use
/// <see cref="EventPacer"/> for a fixed event rate.
/// </summary>
public sealed class TimestampPacer
{
    private readonly TimeProvider _timeProvider;
    private readonly double _speedup;

    // Shorter waits are below timer resolution.
    private static readonly TimeSpan MinDelay = TimeSpan.FromMilliseconds(1);

    /// <summary>Creates a pacer; <paramref name="speedup"/> is simulated time per unit of real time (1 = real time).</summary>
    public TimestampPacer(TimeProvider timeProvider, double speedup = 1)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(speedup);
        _timeProvider = timeProvider;
        _speedup = speedup;
    }

    /// <summary>Yields each event once its timestamp, measured from the first event's, is due.</summary>
    public async IAsyncEnumerable<SimulatedEvent> PaceAsync(IEnumerable<SimulatedEvent> events, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        var startedAt = _timeProvider.GetTimestamp();
        DateTimeOffset? first = null;
        foreach (var simulated in events)
        {
            cancellationToken.ThrowIfCancellationRequested();
            first ??= simulated.Timestamp;
            var dueAt = (simulated.Timestamp - first.Value) / _speedup;
            var wait = dueAt - _timeProvider.GetElapsedTime(startedAt);
            if (wait >= MinDelay)
            {
                await Task.Delay(wait, _timeProvider, cancellationToken);
            }

            yield return simulated;
        }
    }
}
