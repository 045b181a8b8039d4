using System.Collections.Concurrent;
using Confluent.Kafka;
using StreamBilling.Kafka;

namespace StreamBilling.IntegrationTests;

public sealed class ConsumerGroupTests(KafkaFixture kafka)
{
    private static async Task ProduceAsync(KafkaFixture kafka, string topic, int count)
    {
        using var producer = kafka.Clients.CreateRawProducer();
        for (var i = 0; i < count; i++)
        {
            producer.Produce(topic, new Message<byte[], byte[]> { Key = BitConverter.GetBytes(i), Value = BitConverter.GetBytes(i) });
        }

        producer.Flush(TestContext.Current.CancellationToken);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task TwoMembers_SplitThePartitionsWithoutOverlap()
    {
        var topic = await kafka.CreateTopicAsync("group-split", partitions: 6);
        var group = KafkaFixture.NewGroupId("group-split");
        var owned = new[] { new ConcurrentDictionary<int, bool>(), new ConcurrentDictionary<int, bool>() };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        // Each member must keep polling to take part in rebalances.
        var members = Enumerable.Range(0, 2).Select(m => Task.Run(() =>
        {
            using var consumer = kafka.Clients.CreateRawConsumer(group, new KafkaConsumerOptions
            {
                PartitionsAssigned = ps => { foreach (var p in ps) { owned[m][p.Partition.Value] = true; } },
                PartitionsRevoked = ps => { foreach (var p in ps) { owned[m].TryRemove(p.Partition.Value, out _); } },
            });
            consumer.Subscribe(topic);
            while (!stop.IsCancellationRequested)
            {
                consumer.ConsumeChecked(TimeSpan.FromMilliseconds(50));
            }

            consumer.Close();
        })).ToArray();

        HashSet<int> first, second;
        try
        {
            await Polling.UntilAsync(
                () => !owned[0].IsEmpty && !owned[1].IsEmpty && owned[0].Count + owned[1].Count == 6,
                "both members own partitions and all 6 are owned");
            (first, second) = (owned[0].Keys.ToHashSet(), owned[1].Keys.ToHashSet());
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(members);
        }

        Assert.Empty(first.Intersect(second));
        Assert.Equal(Enumerable.Range(0, 6), first.Union(second).Order());
    }

    [Fact]
    public async Task RestartedMember_ResumesFromCommittedOffsets()
    {
        var topic = await kafka.CreateTopicAsync("group-resume", partitions: 2);
        var group = KafkaFixture.NewGroupId("group-resume");
        await ProduceAsync(kafka, topic, 40);

        List<int> firstRun;
        using (var consumer = kafka.Clients.CreateRawConsumer(group))
        {
            consumer.Subscribe(topic);
            firstRun = (await Polling.ConsumeAsync(consumer, 15)).Select(r => BitConverter.ToInt32(r.Message.Value)).ToList();
            consumer.Commit();
            consumer.Close();
        }

        using var restarted = kafka.Clients.CreateRawConsumer(group);
        restarted.Subscribe(topic);
        var secondRun = (await Polling.ConsumeAsync(restarted, 25)).Select(r => BitConverter.ToInt32(r.Message.Value)).ToList();
        var extra = await Polling.DrainAsync(restarted, TimeSpan.FromMilliseconds(300));
        restarted.Close();

        Assert.Empty(firstRun.Intersect(secondRun));
        Assert.Equal(Enumerable.Range(0, 40), firstRun.Concat(secondRun).Order());
        Assert.Empty(extra);
    }
}
