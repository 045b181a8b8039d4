using Confluent.Kafka;
using StreamBilling.Streams;
using StreamBilling.Streams.Kafka;

namespace StreamBilling.IntegrationTests.Streams;

/// <summary>The <see cref="DeserializationErrorPolicy.Fail"/> option of the Kafka binding (the default, dead-lettering, is in <c>PoisonRecordTests</c>).</summary>
public class DeserializationPolicyTests(KafkaFixture kafka)
{
    [Fact]
    public async Task Fail_APoisonRecord_StopsTheApplication_NamingTheRecord()
    {
        var ct = TestContext.Current.CancellationToken;
        var app = await WindowedSumApp.CreateAsync(kafka, "poison-fail");
        await app.ProduceAsync(WindowedSumApp.Records(0, 3));
        using (var producer = kafka.Clients.CreateRawProducer())
        {
            await producer.ProduceAsync(new TopicPartition(app.Input, 2), new Message<byte[], byte[]> { Key = "k1"u8.ToArray(), Value = [1, 2, 3] }, ct);
        }

        await using var streams = app.NewInstance(new KafkaStreamsOptions { CommitInterval = TimeSpan.FromMilliseconds(200), DeserializationErrors = DeserializationErrorPolicy.Fail });
        await streams.StartAsync(ct);
        await Polling.UntilAsync(() => streams.State == KafkaStreamsState.Failed, "the application stopped on the poison record", TimeSpan.FromSeconds(60));

        var error = Assert.IsType<RecordDeserializationException>(streams.Error);
        Assert.Equal((app.Input, 2), (error.Failure.Record.Topic, error.Failure.Record.Partition));
        Assert.Equal([1, 2, 3], error.Failure.Record.Value);
        Assert.Contains($"{app.Input}/2/", error.Message, StringComparison.Ordinal);
    }
}
