namespace StreamBilling.Streams.Kafka;

/// <summary>Settings of one <see cref="KafkaStreams"/> instance; the application id comes from the topology.</summary>
public sealed class KafkaStreamsOptions
{
    /// <summary>
    /// How often work is committed (flush stores to changelogs, acknowledge output, commit offsets or the transaction).
    /// Shorter means less replay after a crash and more commit overhead.
    /// </summary>
    public TimeSpan CommitInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Exactly-once (transactions, real cluster) or at-least-once with idempotent output.</summary>
    public ProcessingGuarantee Guarantee { get; init; } = ProcessingGuarantee.ExactlyOnce;

    /// <summary>Group assignment strategy.</summary>
    public PartitionAssignment Assignment { get; init; } = PartitionAssignment.Auto;

    /// <summary>
    /// Root of persistent (RocksDB) stores, <c>&lt;dir&gt;/&lt;applicationId&gt;/&lt;instanceId&gt;/&lt;taskId&gt;/&lt;store&gt;</c>, kept
    /// across restarts: a cleanly closed task's checkpoint lets the next start restore only the changelog's tail. One live
    /// instance per directory (a lock file enforces it). Null: a temporary directory deleted on dispose; one left by a
    /// killed process is deleted by the next instance that starts without a state directory.
    /// </summary>
    public string? StateDirectory { get; init; }

    /// <summary>
    /// Identity of this instance: part of the transactional id (a restarted instance fences its zombie) and the name of
    /// its state directory, so keep it stable across restarts. The default, a new id per options object, suits one-off
    /// runs (tests, <c>bill --through-kafka</c>).
    /// </summary>
    public string InstanceId { get; init; } = Guid.NewGuid().ToString("N");

    /// <summary>Records processed per poll loop before wall-clock punctuation and the commit check run.</summary>
    public int MaxBatchSize { get; init; } = 2_000;

    /// <summary>How long one poll waits for records when the input is idle.</summary>
    public TimeSpan PollTimeout { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Partitions of repartition and late-records topics; null = the largest source topic's count.</summary>
    public int? InternalTopicPartitions { get; init; }

    /// <summary>Clock for commit intervals and wall-clock punctuation; tests pass a fake.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>How long a broker call (commit, flush, restore read, metadata) may take before the runtime fails.</summary>
    public TimeSpan BrokerTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// What happens to a source record the topology's serdes cannot read: <see cref="DeserializationErrorPolicy.DeadLetter"/>
    /// (default) writes it as read to <c>&lt;topic&gt;.dlq</c> with the reason and its source coordinates (the
    /// <c>DeadLetterHeaders</c> the sinks write too), counts it and goes on; <see cref="DeserializationErrorPolicy.Fail"/>
    /// stops the application on it.
    /// </summary>
    public DeserializationErrorPolicy DeserializationErrors { get; init; } = DeserializationErrorPolicy.DeadLetter;

    /// <summary>
    /// How far ahead of <see cref="TimeProvider"/>'s clock a record's event time may be; a record further ahead is not
    /// processed and does not move stream time: it goes to the late-records topic with reason <c>future-timestamp</c>.
    /// Null: no bound.
    /// </summary>
    public TimeSpan? MaxEventTimeAhead { get; init; } = DefaultMaxEventTimeAhead;

    /// <summary>Default of <see cref="MaxEventTimeAhead"/>: clocks of producers and brokers drift by seconds, not minutes.</summary>
    public static TimeSpan DefaultMaxEventTimeAhead { get; } = TimeSpan.FromMinutes(5);

    internal void Validate()
    {
        if (MaxEventTimeAhead < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxEventTimeAhead), MaxEventTimeAhead, "MaxEventTimeAhead must not be negative.");
        }

        if (!Enum.IsDefined(DeserializationErrors))
        {
            throw new ArgumentOutOfRangeException(nameof(DeserializationErrors), DeserializationErrors, "Unknown deserialization error policy.");
        }

        if (CommitInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(CommitInterval), CommitInterval, "Commit interval must be positive.");
        }

        if (MaxBatchSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxBatchSize), MaxBatchSize, "Batch size must be positive.");
        }

        if (PollTimeout < TimeSpan.Zero || BrokerTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(PollTimeout), "Poll and broker timeouts must not be negative.");
        }

        if (InternalTopicPartitions is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(InternalTopicPartitions), InternalTopicPartitions, "Partition count must be positive.");
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(InstanceId);
        if (InstanceId.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || InstanceId is "." or "..")
        {
            throw new ArgumentException($"Instance id '{InstanceId}' names the state directory: it must be a valid file name.", nameof(InstanceId));
        }
    }
}
