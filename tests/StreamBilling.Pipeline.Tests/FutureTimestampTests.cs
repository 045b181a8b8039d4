using Microsoft.Extensions.Time.Testing;
using StreamBilling.Contracts;
using StreamBilling.Events.Cdn;
using StreamBilling.Events.Outputs;
using StreamBilling.Kafka;
using StreamBilling.Pipeline.Cdn;
using StreamBilling.Streams;
using StreamBilling.Streams.Kafka;
using StreamBilling.Streams.Testing;
using static StreamBilling.Pipeline.Tests.CdnEvents;

namespace StreamBilling.Pipeline.Tests;

/// <summary>
/// One input dated 2100 among this month's: with the runtime's bound on event time ahead of the wall clock (the
/// applications' default), it goes to the late-records topic and moves no application's stream time.
/// </summary>
public sealed class FutureTimestampTests
{
    private static readonly DateTimeOffset FarFuture = T.At("2100-01-01T00:00:00Z");

    private static TopologyTestDriverOptions BoundedAt(string wallClock) => new()
    {
        TimeProvider = new FakeTimeProvider(T.At(wallClock)),
        MaxEventTimeAhead = KafkaStreamsOptions.DefaultMaxEventTimeAhead,
    };

    [Fact]
    public void Invoices_ALineDated2100_DoesNotCloseJuly_AndLaterJulyUsageIsBilledOnJuly()
    {
        using var billing = new BillingDriver();
        using var invoicing = new TopologyTestDriver(InvoiceTopology.Build(billing.Serdes, billing.InvoiceOptions), BoundedAt("2024-07-20T00:00:00Z"));
        var input = invoicing.CreateInputTopic(Topics.PricedLines, Serdes.Utf8, billing.Serdes.For<PricedLineItem>());
        var invoices = invoicing.CreateOutputTopic(Topics.Invoices, Serdes.Utf8, billing.Serdes.For<Invoice>());
        var late = invoicing.CreateLateRecordsTopic();
        void Bill(IEnumerable<TestRecord<string, PricedLineItem>> lines)
        {
            foreach (var line in lines)
            {
                input.PipeInput(line.Key, line.Value, line.Timestamp);
            }
        }

        Bill(billing.Price(BillingDriver.Slice("s1", "i-1", "2024-07-10T10:00:00", "2024-07-10T10:00:00", "2024-07-10T12:00:00")));
        var future = billing.Price(BillingDriver.Slice("s2", "i-2", "2100-01-01T00:00:00", "2100-01-01T00:00:00", "2100-01-01T01:00:00"));
        Bill(future);
        Bill(billing.Price(BillingDriver.Slice("s3", "i-3", "2024-07-15T10:00:00", "2024-07-15T10:00:00", "2024-07-15T11:00:00")));

        var issued = invoices.ReadRecordsToList().Select(r => r.Value).ToList();
        Assert.Equal(["2024-07"], issued.Select(i => i.billingMonth).Distinct());
        Assert.All(issued, i => Assert.Equal((InvoiceStatus.MonthToDate, 2024), (i.status, i.issuedAt.Year)));
        Assert.Equal(3 * 0.0209m, BillingDriver.Money(issued[^1].totalAmount));
        var rejected = late.ReadLate(billing.Serdes.For<PricedLineItem>());
        Assert.Equal(future.Select(l => l.Value.eventId), rejected.Select(r => r.Value.eventId));
        Assert.All(rejected, r => Assert.StartsWith("future-timestamp: 2100-01-01T00:00:00.0000000+00:00 is more than 00:05:00 ahead of wall clock 2024-07-20T00:00:00.0000000+00:00", r.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public void CdnUsageMessages_AFigureDated2100_GoesToTheLateTopic_AndNoMessageIsSentForTheDaysBefore2100()
    {
        var serdes = new AvroSerdes(new InMemorySchemaRegistryClient());
        using var driver = new TopologyTestDriver(PipelineTopologies.BuildCdnUsageMessages(serdes, new CdnUsageMessageOptions()), BoundedAt("2024-08-05T00:00:00Z"));
        var figures = driver.CreateInputTopic(Topics.CdnCostExplorer, Serdes.Utf8, serdes.For<CdnTraffic>());
        var messages = driver.CreateOutputTopic(Topics.CdnUsageMessages, Serdes.Utf8, serdes.For<CdnUsageBillingMessage>());
        var late = driver.CreateLateRecordsTopic();
        var day1 = T.At("2024-08-01T00:00:00Z");

        figures.PipeInput("c1", CostExplorer("ce-1", "c1", day1, day1.AddDays(1), 1_500_000_000), day1.AddDays(2).AddMinutes(5));
        figures.PipeInput("c1", CostExplorer("ce-2100", "c1", FarFuture, FarFuture.AddDays(1), 120 * Gb), FarFuture);

        // Day 1 settles 25 h after it is reported; a CloudWatch sample of another customer moves stream time there.
        figures.PipeInput("clock", CloudWatch("clock", "clock", day1.AddDays(2).AddMinutes(58), 1), day1.AddDays(2).AddHours(1));

        var message = Assert.Single(messages.ReadRecordsToList()).Value.payload;
        Assert.Equal((day1.UtcDateTime, day1.AddDays(1).UtcDateTime), (message.startPeriod, message.endPeriod));
        var rejected = Assert.Single(late.ReadLate(serdes.For<CdnTraffic>()), r => r.Reason.StartsWith(StreamTask.FutureTimestampReason, StringComparison.Ordinal));
        Assert.Equal("ce-2100", rejected.Value.eventId);
        Assert.Equal(day1.AddDays(2).AddHours(1), driver.StreamTime());
    }
}
