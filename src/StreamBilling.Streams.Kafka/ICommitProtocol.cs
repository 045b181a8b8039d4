using Confluent.Kafka;

namespace StreamBilling.Streams.Kafka;

/// <summary>
/// How a commit makes the work since the last one durable, in three steps: (1) output and changelog records, (2) a
/// commit marker per changed task on each of its changelog partitions, (3) the input offsets. The stream thread flushes
/// the tasks first and keeps the bookkeeping; a protocol decides what makes each step durable.
/// </summary>
internal interface ICommitProtocol
{
    /// <summary>Isolation of the group and restore consumers.</summary>
    IsolationLevel IsolationLevel { get; }

    /// <summary>
    /// True when a restore reads only committed records, so the changelog records after a store's last marker belong
    /// to a commit that completed and are applied; otherwise they may be an unfinished commit's.
    /// </summary>
    bool TailsAreCommitted { get; }

    /// <summary>Adds what the protocol needs to the producer's settings (before it is created).</summary>
    void ConfigureProducer(ProducerConfig config);

    /// <summary>Binds the thread's producer and group consumer; called once before the first record.</summary>
    void Start(OutputProducer output, IConsumer<byte[], byte[]> consumer);

    /// <summary>
    /// Commits the flushed work: output and changelogs, the markers that <paramref name="writeMarkers"/> writes (it
    /// returns whether it wrote any), then <paramref name="offsets"/>. Returns the offsets the group now holds (none
    /// when the group refused them).
    /// </summary>
    IReadOnlyList<TopicPartitionOffset> Commit(List<TopicPartitionOffset> offsets, Func<bool> writeMarkers);

    /// <summary>Drops uncommitted work after partitions were lost (another member may own them already).</summary>
    void AbandonUncommitted();
}
