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
    private readonly IReadOnlyList<(BackPressureGroup Group, IConsumer<Ignore, Ignore> Reader)> _groupReaders;
    private readonly Dictionary<string, List<TopicPartition>> _partitions = new(StringComparer.Ordinal);

    public ConsumerLagProbe(IAdminClient admin, IReadOnlyList<(BackPressureGroup Group, IConsumer<Ignore, Ignore> Reader)> groupReaders)
    {
        _admin = admin;
        _groupReaders = groupReaders;
    }

    /// <summary>The largest lag (records) of any watched group that reads <paramref name="topic"/> on any of its partitions; 0 when none reads it.</summary>
    public async Task<long> MaxPartitionLagAsync(string topic)
    {
        var readers = _groupReaders.Where(g => g.Group.Reads(topic)).Select(g => g.Reader).ToList();
        if (readers.Count == 0)
        {
            return 0;
        }

        var partitions = Partitions(topic);
        var (low, high) = await _admin.ListWatermarksAsync(partitions, BrokerTimeout).ConfigureAwait(false);
        long max = 0;
        foreach (var reader in readers)
        {
            foreach (var committed in reader.Committed(partitions, BrokerTimeout))
            {
                var oldest = low[committed.TopicPartition];
                var from = committed.Offset.IsSpecial ? oldest : Math.Max(committed.Offset.Value, oldest);
                max = Math.Max(max, high[committed.TopicPartition] - from);
            }
        }

        return max;
    }

    public void Dispose()
    {
        foreach (var (_, reader) in _groupReaders)
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
