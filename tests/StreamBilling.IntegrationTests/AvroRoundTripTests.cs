using Confluent.Kafka;
using StreamBilling.Kafka.Tests.Records;

namespace StreamBilling.IntegrationTests;

public sealed class AvroRoundTripTests(KafkaFixture kafka)
{
    [Fact]
    public async Task ProduceConsume_AvroRecords_ArriveIntactAndRegisterTheValueSubject()
    {
        var topic = await kafka.CreateTopicAsync("avro", partitions: 3);
        var sent = Enumerable.Range(0, 20)
            .Select(i => new MeterReading { ReadingId = $"r{i}", CustomerId = $"c{i % 4}", Quantity = i * 10, Note = i % 2 == 0 ? null : "odd" })
            .ToList();
        using (var producer = kafka.Clients.CreateAvroProducer<MeterReading>())
        {
            foreach (var reading in sent)
            {
                await producer.ProduceAsync(topic, new Message<string, MeterReading> { Key = reading.CustomerId, Value = reading }, TestContext.Current.CancellationToken);
            }
        }

        using var consumer = kafka.Clients.CreateAvroConsumer<MeterReading>(KafkaFixture.NewGroupId("avro"));
        consumer.Subscribe(topic);
        var received = await Polling.ConsumeAsync(consumer, sent.Count);
        consumer.Close();

        Assert.Equal(
            sent.Select(r => (r.CustomerId, r.ReadingId, r.Quantity, r.Note)).Order(),
            received.Select(r => (r.Message.Key, r.Message.Value.ReadingId, r.Message.Value.Quantity, r.Message.Value.Note)).Order());
        Assert.Contains(topic + "-value", await kafka.Registry.GetAllSubjectsAsync());
    }

    [Fact]
    public async Task ProduceConsume_SameKey_LandsOnOnePartitionInOrder()
    {
        var topic = await kafka.CreateTopicAsync("ordering", partitions: 4);
        using (var producer = kafka.Clients.CreateAvroProducer<MeterReading>())
        {
            for (var i = 0; i < 10; i++)
            {
                producer.Produce(topic, new Message<string, MeterReading> { Key = "customer-1", Value = new MeterReading { ReadingId = $"r{i}", CustomerId = "customer-1", Quantity = i } });
            }

            producer.Flush(TestContext.Current.CancellationToken);
        }

        using var consumer = kafka.Clients.CreateAvroConsumer<MeterReading>(KafkaFixture.NewGroupId("ordering"));
        consumer.Subscribe(topic);
        var received = await Polling.ConsumeAsync(consumer, 10);
        consumer.Close();

        Assert.Single(received.Select(r => r.Partition.Value).Distinct());
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), received.Select(r => r.Message.Value.Quantity));
    }
}
