using Confluent.Kafka;

namespace StreamBilling.Streams.Kafka;

/// <summary>
/// Exactly-once with Kafka transactions (real clusters): output, changelogs, commit markers and offsets
/// (<c>SendOffsetsToTransaction</c> with the group metadata) go into one transaction per commit; consumers read committed
/// records only. One transactional id per instance, so a restarted instance with the same id fences its zombie, and
/// offsets sent with the group metadata fence members that lost their partitions (KIP-447).
/// </summary>
internal sealed class TransactionalCommitProtocol(string applicationId, string instanceId, TimeSpan brokerTimeout) : ICommitProtocol
{
    private OutputProducer? _output;
    private IConsumer<byte[], byte[]>? _consumer;

    public IsolationLevel IsolationLevel => IsolationLevel.ReadCommitted;

    public bool TailsAreCommitted => true;

    public void ConfigureProducer(ProducerConfig config) => config.TransactionalId = $"{applicationId}-{instanceId}";

    public void Start(OutputProducer output, IConsumer<byte[], byte[]> consumer)
    {
        _output = output;
        _consumer = consumer;
        output.Producer.InitTransactions(brokerTimeout);
        output.Producer.BeginTransaction();
    }

    public IReadOnlyList<TopicPartitionOffset> Commit(List<TopicPartitionOffset> offsets, Func<bool> writeMarkers)
    {
        var output = _output!;
        writeMarkers();
        if (offsets.Count > 0)
        {
            output.Producer.SendOffsetsToTransaction(offsets, _consumer!.ConsumerGroupMetadata, brokerTimeout);
        }

        output.Producer.CommitTransaction(brokerTimeout);
        output.ThrowIfFailed();
        output.Producer.BeginTransaction();
        return offsets;
    }

    public void AbandonUncommitted()
    {
        _output!.Producer.AbortTransaction(brokerTimeout);
        _output.Producer.BeginTransaction();
    }
}
