using Confluent.Kafka;
using StreamBilling.Kafka;

namespace StreamBilling.Cli.Commands;

/// <summary>Reads every record a topic holds now, from the start of each partition (bench result checks).</summary>
internal static class TopicReader
{
    public static List<(string Key, DateTimeOffset Timestamp, byte[] Value)> ReadAll(KafkaClientFactory clients, string topic)
    {
        int partitions;
        using (var admin = clients.CreateAdminClient())
        {
            partitions = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions.Count;
        }

        var config = clients.CreateConsumerConfig($"bench-check-{Guid.NewGuid():N}");
        config.AutoOffsetReset = AutoOffsetReset.Earliest;
        using var consumer = new ConsumerBuilder<string, byte[]>(config).Build();
        var ends = new Dictionary<int, long>();
        for (var p = 0; p < partitions; p++)
        {
            var high = consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10)).High.Value;
            if (high > 0)
            {
                ends[p] = high;
            }
        }

        consumer.Assign(ends.Keys.Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var records = new List<(string, DateTimeOffset, byte[])>();
        while (ends.Count > 0)
        {
            var result = consumer.Consume(TimeSpan.FromSeconds(10)) ?? throw new InvalidOperationException($"{topic}: no record within 10 s before the end.");
            records.Add((result.Message.Key, result.Message.Timestamp.UtcDateTime, result.Message.Value));
            if (result.Offset.Value + 1 >= ends.GetValueOrDefault(result.Partition.Value, long.MaxValue))
            {
                ends.Remove(result.Partition.Value);
            }
        }

        return records;
    }
}
