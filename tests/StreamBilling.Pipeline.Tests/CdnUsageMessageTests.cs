using Avro;
using StreamBilling.Contracts;
using StreamBilling.Events.Cdn;
using StreamBilling.Events.Outputs;
using StreamBilling.Kafka;
using StreamBilling.Pipeline.Cdn;
using StreamBilling.Streams;
using StreamBilling.Streams.Testing;
using static StreamBilling.Pipeline.Tests.CdnEvents;

namespace StreamBilling.Pipeline.Tests;

public sealed class CdnUsageMessageTests : IDisposable
{
    private static readonly DateTimeOffset Day1 = T.At("2024-08-01T00:00:00Z");
    private readonly AvroSerdes _serdes = new(new InMemorySchemaRegistryClient());
    private readonly CdnUsageMessageOptions _options = new();
    private TopologyTestDriver _driver = null!;
    private TestInputTopic<string, CdnTraffic> _traffic = null!;
    private TestOutputTopic<string, CdnUsageBillingMessage> _messages = null!;

    public CdnUsageMessageTests() => Start();

    public void Dispose() => _driver.Dispose();

    [Fact]
    public void ADaysCostExplorerTotal_IsSentOnceTheDayHasSettled()
    {
        CostExplorerDay("ce-1", "c1", Day1, 1_500_000_000);
        AdvanceTo(Day1.AddDays(1).AddHours(25).AddMinutes(-1));
        Assert.True(_messages.IsEmpty);

        AdvanceTo(Day1.AddDays(1).AddHours(25));

        var record = Assert.Single(_messages.ReadRecordsToList());
        var message = record.Value;
        Assert.Equal(("c1", "EVENT_CDN_USAGE", "c1"), (record.Key, message.type, message.payload.customerId));
        Assert.Equal((Day1.UtcDateTime, Day1.AddDays(1).UtcDateTime), (message.payload.startPeriod, message.payload.endPeriod));
        Assert.Equal(1.5m, AvroDecimal.ToDecimal(message.payload.trafficUsageGb));
        Assert.Equal((CdnUsageMessageProcessor.MessageId("c1", Day1), message.eventId, message.eventId), (message.payload.id, message.eventId, record.Id));
    }

    [Fact]
    public void ConsecutivePeriods_NeitherOverlapNorLeaveGaps_EvenWithoutTraffic()
    {
        CostExplorerDay("ce-1", "c1", Day1, 1_000_000_000);
        CostExplorerDay("ce-3", "c1", Day1.AddDays(2), 3_000_000_000);

        AdvanceTo(Day1.AddDays(3).AddHours(25));

        var payloads = _messages.ReadRecordsToList().Select(r => r.Value.payload).ToList();
        Assert.Equal([1m, 0m, 3m], payloads.Select(p => AvroDecimal.ToDecimal(p.trafficUsageGb)));
        Assert.Equal(Day1.UtcDateTime, payloads[0].startPeriod);
        for (var i = 1; i < payloads.Count; i++)
        {
            Assert.Equal(payloads[i - 1].endPeriod, payloads[i].startPeriod);
            Assert.Equal(TimeSpan.FromDays(1), payloads[i].endPeriod - payloads[i].startPeriod);
        }
    }

    [Fact]
    public void FiguresForAPeriodAlreadySent_AreCarriedIntoTheNextMessage()
    {
        CostExplorerDay("ce-1", "c1", Day1, 1_000_000_000);
        AdvanceTo(Day1.AddDays(1).AddHours(25));
        Assert.Single(_messages.ReadRecordsToList());

        _traffic.PipeInput("c1", CostExplorer("ce-1b", "c1", Day1.AddHours(20), Day1.AddHours(21), 250_000_000), Day1.AddDays(2).AddHours(2));
        CostExplorerDay("ce-2", "c1", Day1.AddDays(1), 2_000_000_000);
        AdvanceTo(Day1.AddDays(2).AddHours(25));

        var second = Assert.Single(_messages.ReadRecordsToList()).Value.payload;
        Assert.Equal((Day1.AddDays(1).UtcDateTime, 2.25m), (second.startPeriod, AvroDecimal.ToDecimal(second.trafficUsageGb)));
    }

    [Fact]
    public void ResentFigures_AreCountedOnce()
    {
        CostExplorerDay("ce-1", "c1", Day1, 1_000_000_000);
        CostExplorerDay("ce-1", "c1", Day1, 1_000_000_000);

        AdvanceTo(Day1.AddDays(1).AddHours(25));

        Assert.Equal(1m, AvroDecimal.ToDecimal(Assert.Single(_messages.ReadRecordsToList()).Value.payload.trafficUsageGb));
    }

    [Fact]
    public void CloudWatchSampleOnTheFigureTopic_IsNotBilled_AndGoesToTheLateTopic()
    {
        var late = _driver.CreateLateRecordsTopic();
        CostExplorerDay("ce-1", "c1", Day1, 1_000_000_000);
        _traffic.PipeInput("c1", CloudWatch("cw-1", "c1", Day1.AddHours(3), 50), Day1.AddHours(3).AddMinutes(2));

        AdvanceTo(Day1.AddDays(1).AddHours(25));

        Assert.Equal(1m, AvroDecimal.ToDecimal(Assert.Single(_messages.ReadRecordsToList()).Value.payload.trafficUsageGb));
        Assert.Contains(late.ReadLate(_serdes.For<CdnTraffic>()), r => r.Value.eventId == "cw-1" && r.Reason.StartsWith("wrong-data-source", StringComparison.Ordinal));
    }

    [Fact]
    public void EachCustomer_GetsItsOwnMessages()
    {
        CostExplorerDay("ce-1", "c1", Day1, 1_000_000_000);
        CostExplorerDay("ce-2", "c2", Day1, 2_000_000_000);

        AdvanceTo(Day1.AddDays(1).AddHours(25));

        Assert.Equal(
            [("c1", 1m), ("c2", 2m)],
            _messages.ReadRecordsToList().Select(r => (r.Key, AvroDecimal.ToDecimal(r.Value.payload.trafficUsageGb))).OrderBy(x => x.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void ARestartFromTheChangelog_NeitherResendsNorSkipsAPeriod()
    {
        CostExplorerDay("ce-1", "c1", Day1, 1_000_000_000);
        AdvanceTo(Day1.AddDays(1).AddHours(25));
        var first = Assert.Single(_messages.ReadRecordsToList());
        var changelog = _driver.GetChangelog("cdn-usage-periods").ToList();
        _driver.Dispose();

        Start();
        _driver.RestoreStore("cdn-usage-periods", changelog);
        CostExplorerDay("ce-1", "c1", Day1, 1_000_000_000);
        CostExplorerDay("ce-2", "c1", Day1.AddDays(1), 2_000_000_000);
        AdvanceTo(Day1.AddDays(2).AddHours(25));

        var next = Assert.Single(_messages.ReadRecordsToList());
        Assert.Equal(first.Value.payload.endPeriod, next.Value.payload.startPeriod);
        Assert.Equal(2m, AvroDecimal.ToDecimal(next.Value.payload.trafficUsageGb));
    }

    [Fact]
    public void Replay_SendsTheSameMessages()
    {
        List<(string?, decimal)> Run()
        {
            CostExplorerDay("ce-1", "c1", Day1, 1_000_000_000);
            CostExplorerDay("ce-2", "c1", Day1.AddDays(1), 2_000_000_000);
            AdvanceTo(Day1.AddDays(2).AddHours(25));
            return [.. _messages.ReadRecordsToList().Select(r => (r.Id, AvroDecimal.ToDecimal(r.Value.payload.trafficUsageGb)))];
        }

        var first = Run();
        _driver.Dispose();
        Start();

        Assert.Equal(2, first.Count);
        Assert.Equal(first, Run());
    }

    [Fact]
    public void ASilentInput_GetsItsMessage_OnceTheWallClockHasMovedStreamTimePastTheSettleDelay_WithoutGapOrOverlapAfter()
    {
        _traffic.PipeInput("c1", CostExplorer("ce-1", "c1", Day1, Day1.AddDays(1), 1_000_000_000), Day1.AddDays(1).AddHours(2));
        _driver.AdvanceWallClockTime(TimeSpan.FromHours(22) + TimeSpan.FromMinutes(55));
        var beforeDue = _messages.ReadRecordsToList();

        // 23 h without a record: stream time taken to day 1's end + 25 h, when its figures have settled.
        _driver.AdvanceWallClockTime(TimeSpan.FromMinutes(5));
        var silent = Assert.Single(_messages.ReadRecordsToList()).Value.payload;

        // Figures resume: a late one for the day already sent is carried into the next message, which starts where it ended.
        _traffic.PipeInput("c1", CostExplorer("ce-1b", "c1", Day1.AddHours(5), Day1.AddHours(6), 500_000_000), Day1.AddDays(2).AddHours(2));
        CostExplorerDay("ce-2", "c1", Day1.AddDays(1), 2_000_000_000);
        AdvanceTo(Day1.AddDays(2).AddHours(25));
        var next = Assert.Single(_messages.ReadRecordsToList()).Value.payload;

        Assert.Empty(beforeDue);
        Assert.Equal((Day1.UtcDateTime, Day1.AddDays(1).UtcDateTime, 1m), (silent.startPeriod, silent.endPeriod, AvroDecimal.ToDecimal(silent.trafficUsageGb)));
        Assert.Equal((Day1.AddDays(1).UtcDateTime, Day1.AddDays(2).UtcDateTime, 2.5m), (next.startPeriod, next.endPeriod, AvroDecimal.ToDecimal(next.trafficUsageGb)));
    }

    [Fact]
    public void AfterARestart_TheWallClockMovesNothingUntilARecordArrives()
    {
        _driver.AdvanceWallClockTime(TimeSpan.FromDays(30));

        Assert.True(_messages.IsEmpty);
    }

    private void Start()
    {
        _driver = new TopologyTestDriver(PipelineTopologies.BuildCdnUsageMessages(_serdes, _options));
        _traffic = _driver.CreateInputTopic(Topics.CdnCostExplorer, Serdes.Utf8, _serdes.For<CdnTraffic>());
        _messages = _driver.CreateOutputTopic(Topics.CdnUsageMessages, Serdes.Utf8, _serdes.For<CdnUsageBillingMessage>());
    }

    /// <summary>A day's Cost Explorer total, published 24 h 5 min after the day ends.</summary>
    private void CostExplorerDay(string eventId, string customer, DateTimeOffset day, long bytes) =>
        _traffic.PipeInput(customer, CostExplorer(eventId, customer, day, day.AddDays(1), bytes), day.AddDays(2).AddMinutes(5));

    /// <summary>Moves stream time with a CloudWatch sample of an unrelated customer.</summary>
    private void AdvanceTo(DateTimeOffset time) =>
        _traffic.PipeInput("clock", CloudWatch("clock-" + time.UtcTicks, "clock", time.AddMinutes(-2), 1), time);
}
