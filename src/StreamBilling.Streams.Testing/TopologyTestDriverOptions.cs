using Microsoft.Extensions.Time.Testing;

namespace StreamBilling.Streams.Testing;

/// <summary>Settings of a <see cref="TopologyTestDriver"/>.</summary>
public sealed class TopologyTestDriverOptions
{
    /// <summary>The wall clock; a new one starting at <see cref="InitialWallClockTime"/> when null.</summary>
    public FakeTimeProvider? TimeProvider { get; init; }

    /// <summary>Start of the driver's own wall clock.</summary>
    public DateTimeOffset InitialWallClockTime { get; init; } = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Directory for RocksDB stores; a temporary directory (deleted on dispose) when null.</summary>
    public string? StateDirectory { get; init; }

    /// <summary>
    /// What tasks do with input their serdes cannot read: <see cref="DeserializationErrorPolicy.DeadLetter"/> (the runtime's
    /// default; the driver keeps them in <see cref="TopologyTestDriver.DeadLetters"/>) or <see cref="DeserializationErrorPolicy.Fail"/>.
    /// </summary>
    public DeserializationErrorPolicy DeserializationErrors { get; init; } = DeserializationErrorPolicy.DeadLetter;

    /// <summary>
    /// How far ahead of the driver's wall clock an event time may be (<see cref="StreamTaskOptions.MaxEventTimeAhead"/>).
    /// Null (the default): no bound, because the fake wall clock has nothing to do with the event times tests use; set it
    /// (and the clock) to test the guard.
    /// </summary>
    public TimeSpan? MaxEventTimeAhead { get; init; }
}
