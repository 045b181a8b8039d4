using Confluent.Kafka;

namespace StreamBilling.Kafka;

/// <summary>
/// Measures a consumer group's lag per partition: high watermark minus committed offset (or minus the low watermark
/// when the group has not committed). Uses a consumer with the group's id that never subscribes, so it reads the
/// group's committed offsets without joining it.
/// </summary>
internal sealed class ConsumerLagProbe : IDisposable
{
    private static readonly TimeSpan BrokerTimeout = TimeSpan.FromSeconds(10);
    private readonly IAdminClient _admin;
    private readonly IReadOnlyList<IConsumer<Ignore, Ignore>> _groupReaders;
    private readonly Dictionary<string, List<TopicPartition>> _partitions = new(StringComparer.Ordinal);

    public ConsumerLagProbe(IAdminClient admin, IReadOnlyList<IConsumer<Ignore, Ignore>> groupReaders)
    {
        _admin = admin;
        _groupReaders = groupReaders;
    }

    /// <summary>The largest lag (records) of any watched group on any partition of <paramref name="topic"/>.</summary>
    public long MaxPartitionLag(string topic)
    {
        var partitions = Partitions(topic);
        var highs = partitions.ToDictionary(p => p.Partition.Value, p => _groupReaders[0].QueryWatermarkOffsets(p, BrokerTimeout));
        long max = 0;
        foreach (var reader in _groupReaders)
        {
            foreach (var committed in reader.Committed(partitions, BrokerTimeout))
            {
                var watermarks = highs[committed.Partition.Value];
                var from = committed.Offset.IsSpecial ? watermarks.Low.Value : Math.Max(committed.Offset.Value, watermarks.Low.Value);
                max = Math.Max(max, watermarks.High.Value - from);
            }
        }

        return max;
    }

    public void Dispose()
    {
        foreach (var reader in _groupReaders)
        {
            reader.Dispose();
        }

        _admin.Dispose();
    }

    private List<TopicPartition> Partitions(string topic)
    {
        if (!_partitions.TryGetValue(topic, out var partitions) || partitions.Count == 0)
        {
            var metadata = _admin.GetMetadata(topic, BrokerTimeout);
            partitions = metadata.Topics.SelectMany(t => t.Partitions.Select(p => new TopicPartition(t.Topic, p.PartitionId))).ToList();
            _partitions[topic] = partitions;
        }

        return partitions;
    }
}
