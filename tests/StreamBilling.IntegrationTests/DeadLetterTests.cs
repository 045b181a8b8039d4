using System.Text;
using Confluent.Kafka;
using StreamBilling.Contracts;
using StreamBilling.Kafka;
using StreamBilling.Kafka.Tests.Records;

namespace StreamBilling.IntegrationTests;

public sealed class DeadLetterTests(KafkaFixture kafka)
{
    [Fact]
    public async Task CorruptAndInvalidRecords_GoToDlqWithHeaders_WhileGoodRecordsPass()
    {
        var topic = await kafka.CreateTopicAsync("dlq", partitions: 1);
        var ct = TestContext.Current.CancellationToken;
        using (var avro = kafka.Clients.CreateAvroProducer<MeterReading>())
        using (var raw = kafka.Clients.CreateRawProducer())
        {
            await avro.ProduceAsync(topic, new Message<string, MeterReading> { Key = "c1", Value = new MeterReading { ReadingId = "good-1", CustomerId = "c1", Quantity = 1 } }, ct);
            await raw.ProduceAsync(topic, new Message<byte[], byte[]> { Key = "c1"u8.ToArray(), Value = "definitely not avro"u8.ToArray(), Headers = new Headers { { "origin", "test"u8.ToArray() } } }, ct);
            await avro.ProduceAsync(topic, new Message<string, MeterReading> { Key = "c1", Value = new MeterReading { ReadingId = "negative", CustomerId = "c1", Quantity = -5 } }, ct);
            await avro.ProduceAsync(topic, new Message<string, MeterReading> { Key = "c1", Value = new MeterReading { ReadingId = "good-2", CustomerId = "c1", Quantity = 2 } }, ct);
        }

        using var consumer = kafka.Clients.CreateDeadLetteringAvroConsumer<MeterReading>(
            KafkaFixture.NewGroupId("dlq"),
            validate: r => r.Quantity < 0 ? $"negative quantity {r.Quantity}" : null);
        consumer.Subscribe(topic);
        var good = await Task.Run(() => new[] { consumer.Consume(Polling.DefaultTimeout), consumer.Consume(Polling.DefaultTimeout) }, ct);
        consumer.Commit();
        consumer.Close();

        Assert.Equal(["good-1", "good-2"], good.Select(r => r!.Message.Value.ReadingId));
        Assert.Equal(2, consumer.DeadLetterCount);

        using var dlqReader = kafka.Clients.CreateRawConsumer(KafkaFixture.NewGroupId("dlq-reader"));
        dlqReader.Subscribe(Topics.DeadLetterName(topic));
        var dead = await Polling.ConsumeAsync(dlqReader, 2);
        dlqReader.Close();

        var corrupt = dead.Single(d => DeadLetterHeaders.Read(d.Message.Headers, DeadLetterHeaders.SourceOffset) == "1");
        Assert.Equal("definitely not avro", Encoding.UTF8.GetString(corrupt.Message.Value));
        Assert.Equal(topic, DeadLetterHeaders.Read(corrupt.Message.Headers, DeadLetterHeaders.SourceTopic));
        Assert.Equal("0", DeadLetterHeaders.Read(corrupt.Message.Headers, DeadLetterHeaders.SourcePartition));
        Assert.Equal("test", DeadLetterHeaders.Read(corrupt.Message.Headers, "origin"));
        Assert.NotNull(DeadLetterHeaders.Read(corrupt.Message.Headers, DeadLetterHeaders.SourceTimestamp));
        Assert.NotEqual(DeadLetterHeaders.ValidationErrorType, DeadLetterHeaders.Read(corrupt.Message.Headers, DeadLetterHeaders.ErrorType));
        Assert.False(string.IsNullOrEmpty(DeadLetterHeaders.Read(corrupt.Message.Headers, DeadLetterHeaders.Error)));

        var invalid = dead.Single(d => DeadLetterHeaders.Read(d.Message.Headers, DeadLetterHeaders.SourceOffset) == "2");
        Assert.Equal(DeadLetterHeaders.ValidationErrorType, DeadLetterHeaders.Read(invalid.Message.Headers, DeadLetterHeaders.ErrorType));
        Assert.Equal("negative quantity -5", DeadLetterHeaders.Read(invalid.Message.Headers, DeadLetterHeaders.Error));
    }

    [Fact]
    public async Task DeadLetteredRecords_AreCommittedWithTheGoodOnes()
    {
        var topic = await kafka.CreateTopicAsync("dlq-commit", partitions: 1);
        var group = KafkaFixture.NewGroupId("dlq-commit");
        using (var raw = kafka.Clients.CreateRawProducer())
        {
            await raw.ProduceAsync(topic, new Message<byte[], byte[]> { Value = [1, 2, 3] }, TestContext.Current.CancellationToken);
        }

        using var consumer = kafka.Clients.CreateDeadLetteringAvroConsumer<MeterReading>(group);
        consumer.Subscribe(topic);
        var none = await Task.Run(() => consumer.Consume(TimeSpan.FromSeconds(3)), TestContext.Current.CancellationToken);
        consumer.Commit();
        var committed = consumer.Consumer.Committed([new TopicPartition(topic, 0)], TimeSpan.FromSeconds(10));
        consumer.Close();

        Assert.Null(none);
        Assert.Equal(1, consumer.DeadLetterCount);
        Assert.Equal(1, committed.Single().Offset.Value);
    }
}
