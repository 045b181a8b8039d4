using Confluent.Kafka;
using StreamBilling.Kafka;

namespace StreamBilling.IntegrationTests;

public sealed class BackPressureTests(KafkaFixture kafka)
{
    [Fact]
    public async Task Producer_PausesAtTheLagBound_AndResumesOnceTheGroupCommits()
    {
        var topic = await kafka.CreateTopicAsync("back-pressure", partitions: 1);
        var group = KafkaFixture.NewGroupId("back-pressure");
        var ct = TestContext.Current.CancellationToken;
        using var producer = kafka.Clients.WithBackPressure(kafka.Clients.CreateRawProducer(), [group], maxLagPerPartition: 50);

        for (var i = 0; i < 50; i++)
        {
            await producer.EnqueueAsync(topic, new Message<byte[], byte[]> { Value = BitConverter.GetBytes(i) }, cancellationToken: ct);
        }

        producer.Producer.Flush(ct);
        // The pause is counted once a lag measurement finds no room: wait for it rather than for a fixed time, which a
        // loaded machine's slower measurement outlasted.
        var next = producer.WaitForCapacityAsync(topic, ct).AsTask();
        await Polling.UntilAsync(() => producer.Pauses == 1 || next.IsCompleted, "the 51st send measures the lag");
        var blocked = !next.IsCompleted;

        using var consumer = kafka.Clients.CreateRawConsumer(group);
        consumer.Subscribe(topic);
        await Polling.ConsumeAsync(consumer, 50);
        consumer.Commit();
        await next.WaitAsync(Polling.DefaultTimeout, ct);
        consumer.Close();

        Assert.True(blocked, "the 51st send should wait while the group lags by 50");
        Assert.Equal(1, producer.Pauses);
    }

    [Fact]
    public async Task Producer_UnderTheBound_NeverPauses()
    {
        var topic = await kafka.CreateTopicAsync("back-pressure-free", partitions: 2);
        var ct = TestContext.Current.CancellationToken;
        using var producer = kafka.Clients.WithBackPressure(kafka.Clients.CreateRawProducer(), [KafkaFixture.NewGroupId("free")], maxLagPerPartition: 1_000);

        for (var i = 0; i < 200; i++)
        {
            await producer.ProduceAsync(topic, new Message<byte[], byte[]> { Value = BitConverter.GetBytes(i) }, ct);
        }

        Assert.Equal(0, producer.Pauses);
    }

    [Fact]
    public async Task Producer_GroupThatReadsAnotherTopic_NeverHoldsThisOneBack()
    {
        var watched = await kafka.CreateTopicAsync("back-pressure-watched", partitions: 1);
        var other = await kafka.CreateTopicAsync("back-pressure-other", partitions: 1);
        var ct = TestContext.Current.CancellationToken;
        var group = new BackPressureGroup(KafkaFixture.NewGroupId("watched"), new HashSet<string>(StringComparer.Ordinal) { watched });
        using var producer = kafka.Clients.WithBackPressure(kafka.Clients.CreateRawProducer(), [group], maxLagPerPartition: 10);

        for (var i = 0; i < 30; i++)
        {
            await producer.ProduceAsync(other, new Message<byte[], byte[]> { Value = BitConverter.GetBytes(i) }, ct);
        }

        Assert.Equal(0, producer.Pauses);
    }
}
