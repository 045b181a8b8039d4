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
}
