namespace StreamBilling.Streams;

/// <summary>What a <see cref="StreamTask"/> needs from its host.</summary>
public sealed class StreamTaskOptions
{
    /// <summary>Receives every output record. Required.</summary>
    public required IRecordCollector Collector { get; init; }

    /// <summary>Clock for wall-clock punctuation; tests pass a <c>FakeTimeProvider</c>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Receives store changes on <see cref="StreamTask.Flush"/>; null disables changelogging for the task.</summary>
    public IChangelogWriter? ChangelogWriter { get; init; }

    /// <summary>Root directory for persistent (RocksDB) stores; each task uses <c>&lt;dir&gt;/&lt;taskId&gt;/&lt;store&gt;</c>.</summary>
    public string? StateDirectory { get; init; }

    /// <summary>
    /// Receives source records that cannot be deserialized (<see cref="DeserializationErrorPolicy.DeadLetter"/>); the task
    /// skips them without advancing stream time. Null: <see cref="DeserializationErrorPolicy.Fail"/>, the task throws a
    /// <see cref="RecordDeserializationException"/>.
    /// </summary>
    public IDeserializationErrorHandler? DeserializationErrorHandler { get; init; }

    /// <summary>
    /// How far a record's event time may be ahead of <see cref="TimeProvider"/>'s wall clock. A record further ahead is not
    /// processed and does not advance stream time: it goes to the late-records topic with reason <c>future-timestamp</c>.
    /// Null: no bound (the test driver's default, whose fake clock has nothing to do with test event times).
    /// </summary>
    public TimeSpan? MaxEventTimeAhead { get; init; }
}
