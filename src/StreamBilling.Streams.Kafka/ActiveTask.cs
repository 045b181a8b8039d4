using Confluent.Kafka;

namespace StreamBilling.Streams.Kafka;

/// <summary>A task the thread runs, and the input offsets it has processed and committed.</summary>
internal sealed class ActiveTask(StreamTask task)
{
    public StreamTask Task { get; } = task;

    public HashSet<TopicPartition> Partitions { get; } = [];

    public Dictionary<TopicPartition, long> NextOffsets { get; } = [];

    public Dictionary<TopicPartition, long> CommittedOffsets { get; } = [];

    /// <summary>Processed or punctuated since the last commit.</summary>
    public bool Dirty { get; set; }

    /// <summary>Stores with changelogs, and their topics.</summary>
    public List<(string Store, string Changelog)> LoggedStores { get; } = [];

    /// <summary>Input positions of the restored state (from the last commit marker).</summary>
    public Dictionary<TopicPartition, long> ResumePositions { get; } = [];

    /// <summary>Sequence number of the next commit marker.</summary>
    public long NextSequence { get; set; } = 1;
}
