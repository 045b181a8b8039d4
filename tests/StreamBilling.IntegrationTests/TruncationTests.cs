using Confluent.Kafka;
using StreamBilling.Kafka;

namespace StreamBilling.IntegrationTests;

public sealed class TruncationTests(KafkaFixture kafka)
{
    private const int RecordSize = 16 * 1024;

    private static byte[] Incompressible(int seed)
    {
        var bytes = new byte[RecordSize];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static async Task ProduceAsync(KafkaFixture kafka, string topic, int count)
    {
        using var producer = kafka.Clients.CreateRawProducer();
        for (var i = 0; i < count; i++)
        {
            producer.Produce(new TopicPartition(topic, 0), new Message<byte[], byte[]> { Value = Incompressible(i) });
        }

        producer.Flush(TestContext.Current.CancellationToken);
        await Task.CompletedTask;
    }

    /// <summary>Drops the oldest records: on the embedded cluster by writing past its 5 MB partition cap, elsewhere with DeleteRecords.</summary>
    private static async Task<long> TruncateAsync(KafkaFixture kafka, string topic, long atLeast)
    {
        if (kafka.Embedded is not null)
        {
            await ProduceAsync(kafka, topic, (8 * 1024 * 1024) / RecordSize);
        }
        else
        {
            using var admin = kafka.Clients.CreateAdminClient();
            await admin.DeleteRecordsAsync([new TopicPartitionOffset(topic, 0, atLeast)]);
        }

        using var probe = kafka.Clients.CreateRawConsumer(KafkaFixture.NewGroupId("probe"));
        long low = 0;
        await Polling.UntilAsync(() => (low = probe.QueryWatermarkOffsets(new TopicPartition(topic, 0), TimeSpan.FromSeconds(5)).Low) >= atLeast, "the low watermark moved");
        return low;
    }

    [Fact]
    public async Task GroupLaggingPastRetention_FailsWithTruncationNamingTheOffsets()
    {
        var topic = await kafka.CreateTopicAsync("truncated-group", partitions: 1);
        var group = KafkaFixture.NewGroupId("truncated-group");
        await ProduceAsync(kafka, topic, 10);
        using (var consumer = kafka.Clients.CreateRawConsumer(group))
        {
            consumer.Subscribe(topic);
            await Polling.ConsumeAsync(consumer, 5);
            consumer.Commit();
            consumer.Close();
        }

        var low = await TruncateAsync(kafka, topic, atLeast: 10);

        using var restarted = kafka.Clients.CreateRawConsumer(group);
        restarted.Subscribe(topic);
        var error = await Assert.ThrowsAsync<TopicTruncatedException>(() => Polling.ConsumeAsync(restarted, 1));
        restarted.Close();

        Assert.Equal((topic, 0, 5L), (error.Topic, error.Partition, error.ExpectedOffset));
        Assert.True(error.LowWatermark >= low, $"low watermark {error.LowWatermark} < {low}");
        Assert.Contains(topic, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NewGroupOnTruncatedTopic_FailsUnlessEarliestIsChosen()
    {
        var topic = await kafka.CreateTopicAsync("truncated-new-group", partitions: 1);
        await ProduceAsync(kafka, topic, 1);
        await TruncateAsync(kafka, topic, atLeast: 1);

        using var strict = kafka.Clients.CreateRawConsumer(KafkaFixture.NewGroupId("strict"));
        strict.Subscribe(topic);
        var error = await Assert.ThrowsAsync<TopicTruncatedException>(() => Polling.ConsumeAsync(strict, 1));
        Assert.Equal(0, error.ExpectedOffset);
        strict.Close();

        using var lenient = kafka.Clients.CreateRawConsumer(KafkaFixture.NewGroupId("lenient"), new KafkaConsumerOptions { WhenNoCommittedOffset = MissingOffsetPolicy.Earliest });
        lenient.Subscribe(topic);
        Assert.Single(await Polling.ConsumeAsync(lenient, 1));
        lenient.Close();
    }

    [Fact]
    public async Task FetchPositionBelowLowWatermark_FailsInsteadOfResetting()
    {
        var topic = await kafka.CreateTopicAsync("truncated-fetch", partitions: 1);
        await ProduceAsync(kafka, topic, 3);
        await TruncateAsync(kafka, topic, atLeast: 3);

        // A manual assignment bypasses the start-offset check: only auto.offset.reset=error stands between it and a silent skip.
        using var consumer = kafka.Clients.CreateRawConsumer(KafkaFixture.NewGroupId("fetch"));
        consumer.Assign(new TopicPartitionOffset(topic, 0, 1));
        var error = await Assert.ThrowsAsync<TopicTruncatedException>(() => Polling.ConsumeAsync(consumer, 1));
        consumer.Close();

        Assert.Equal((topic, 0, 1L), (error.Topic, error.Partition, error.ExpectedOffset));
    }
}
