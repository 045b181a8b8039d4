using StreamBilling.Billing;
using StreamBilling.Billing.RateCards;
using StreamBilling.Billing.UsagePricing;
using StreamBilling.Contracts;
using StreamBilling.Events.Common;
using StreamBilling.Events.Media;
using StreamBilling.Events.Outputs;
using StreamBilling.Kafka;
using StreamBilling.Pipeline.Pricing;
using StreamBilling.Streams.Testing;

namespace StreamBilling.Pipeline.Tests;

/// <summary>Pricing on the media services billed by running time or size (seed 004), against the bill engine's figures.</summary>
public sealed class MediaPricingTests : IDisposable
{
    private static readonly RateCard Card = RateCard.Load(Path.Combine(AppContext.BaseDirectory, "infra", "rate-card.json"));
    private static readonly UsagePricer Pricer = new(Card);

    private readonly AvroSerdes _serdes = new(new InMemorySchemaRegistryClient());
    private readonly TopologyTestDriver _driver;
    private readonly TestOutputTopic<string, PricedLineItem> _priced;

    public MediaPricingTests()
    {
        _driver = new TopologyTestDriver(PricingTopology.Build(_serdes, new PricingOptions { RateCard = Card }));
        _priced = _driver.CreateOutputTopic(Topics.PricedLines, Streams.Serdes.Utf8, _serdes.For<PricedLineItem>());
    }

    [Fact]
    public void ChannelRun_IsPricedWhenItStops_AsTheLibraryPricesIt()
    {
        Assert.Empty(Started("ml-start", "2024-09-01T10:00:00Z"));

        var lines = Stopped("ml-stop", "2024-09-01T12:10:00Z");

        var expected = Pricer.PriceChannel(new ChannelUsage(["ml-start", "ml-stop"], "CUST001", "ch-1", "us-east-1", T.At("2024-09-01T10:00:00Z"), T.At("2024-09-01T10:00:00Z"), T.At("2024-09-01T12:10:00Z"), 1, 4));
        Assert.Equal(expected.Select(l => (l.UsageType, l.Quantity, l.Amount)), lines.Select(l => (l.usageType, Dec(l.quantity), Dec(l.amount))));
        Assert.Equal([("Input-Hours", 3m), ("Output-Hours", 12m)], lines.Select(l => (l.usageType, Dec(l.quantity))));
        Assert.All(lines, l => Assert.Equal((ServiceKind.MediaLive, "ch-1", "CUST001"), (l.service, l.resourceId, l.accountId)));
        Assert.All(lines, l => Assert.Equal(["ml-start", "ml-stop"], l.sourceEventIds));
    }

    [Fact]
    public void StopBeforeStart_IsPricedWhenTheStartArrives_WithTheSameLines()
    {
        Assert.Empty(Stopped("ml-stop", "2024-09-01T12:10:00Z"));

        var lines = Started("ml-start", "2024-09-01T10:00:00Z");

        Assert.Equal([("Input-Hours", 3m), ("Output-Hours", 12m)], lines.Select(l => (l.usageType, Dec(l.quantity))));
    }

    [Fact]
    public void ResentStop_GivesTheSameIdsAndLines_AndAResentStartNothing()
    {
        Started("ml-start", "2024-09-01T10:00:00Z");
        var first = Stopped("ml-stop", "2024-09-01T12:10:00Z");

        var again = Stopped("ml-stop", "2024-09-01T12:10:00Z");
        var restart = Started("ml-start", "2024-09-01T10:00:00Z");

        Assert.Equal(first.Select(l => (l.eventId, Dec(l.amount))), again.Select(l => (l.eventId, Dec(l.amount))));
        Assert.Empty(restart);
    }

    [Fact]
    public void ChannelStartedAgain_IsANewRun_WithNewIds()
    {
        Started("ml-start-1", "2024-09-01T10:00:00Z");
        var first = Stopped("ml-stop-1", "2024-09-01T11:00:00Z");

        Started("ml-start-2", "2024-09-02T10:00:00Z");
        var second = Stopped("ml-stop-2", "2024-09-02T10:30:00Z");

        Assert.Empty(first.Select(l => l.eventId).Intersect(second.Select(l => l.eventId)));
        Assert.Equal([("Input-Hours", 1m), ("Output-Hours", 4m)], second.Select(l => (l.usageType, Dec(l.quantity))));
    }

    [Fact]
    public void MediaConvertJob_IsBilledItsRunningMinutes_WhateverItsOutcome()
    {
        var started = _driver.CreateInputTopic(Topics.MediaConvertJobStarted, Streams.Serdes.Utf8, _serdes.For<MediaConvertJobStarted>());
        var finished = _driver.CreateInputTopic(Topics.MediaConvertJobFinished, Streams.Serdes.Utf8, _serdes.For<MediaConvertJobFinished>());
        var (from, until) = (T.At("2024-09-01T10:00:00Z"), T.At("2024-09-01T10:12:30Z"));

        started.PipeInput("job-1", new MediaConvertJobStarted { eventId = "mc-start", source = "test", eventTime = from.UtcDateTime, accountId = "CUST001", jobId = "job-1", region = "us-east-1" }, from);
        finished.PipeInput("job-1", new MediaConvertJobFinished { eventId = "mc-end", source = "test", eventTime = until.UtcDateTime, accountId = "CUST001", jobId = "job-1", region = "us-east-1", outcome = MediaConvertJobOutcome.Failed }, until);
        var line = Assert.Single(_priced.ReadRecordsToList()).Value;

        var expected = Assert.Single(Pricer.PriceMetered(new MeteredUsage(["mc-start", "mc-end"], "CUST001", BillableService.MediaConvert, UsageTypes.MediaConvertMinutes, "us-east-1", "job-1", from, until, 12.5m)));
        Assert.Equal((expected.UsageType, 12.5m, expected.Amount, ServiceKind.MediaConvert), (line.usageType, Dec(line.quantity), Dec(line.amount), line.service));
    }

    [Fact]
    public void Recording_IsBilledItsSizeInGb_Once()
    {
        var recordings = _driver.CreateInputTopic(Topics.RecordingStored, Streams.Serdes.Utf8, _serdes.For<RecordingStored>());
        var at = T.At("2024-09-01T10:00:00Z");

        recordings.PipeInput("CUST001", new RecordingStored { eventId = "rec-1", source = "test", eventTime = at.UtcDateTime, accountId = "CUST001", bucket = "b", recordingId = "r-1", region = "us-east-1", sizeBytes = 4_000_000_000 }, at);
        var line = Assert.Single(_priced.ReadRecordsToList()).Value;

        Assert.Equal((ServiceKind.S3Recording, "Recording-Gb", 4m, 0.092m, "2024-09"), (line.service, line.usageType, Dec(line.quantity), Dec(line.amount), line.billingMonth));
    }

    public void Dispose() => _driver.Dispose();

    private static decimal Dec(Avro.AvroDecimal value) => Avro.AvroDecimal.ToDecimal(value) / 1.0000000000000000000000000000m;

    private List<PricedLineItem> Started(string eventId, string at)
    {
        var topic = _driver.CreateInputTopic(Topics.MediaLiveChannelStarted, Streams.Serdes.Utf8, _serdes.For<MediaLiveChannelStarted>());
        topic.PipeInput("ch-1", new MediaLiveChannelStarted { eventId = eventId, source = "test", eventTime = T.Utc(at), accountId = "CUST001", channelId = "ch-1", region = "us-east-1", inputCount = 1, outputCount = 4 }, T.At(at));
        return [.. _priced.ReadRecordsToList().Select(r => r.Value)];
    }

    private List<PricedLineItem> Stopped(string eventId, string at)
    {
        var topic = _driver.CreateInputTopic(Topics.MediaLiveChannelStopped, Streams.Serdes.Utf8, _serdes.For<MediaLiveChannelStopped>());
        topic.PipeInput("ch-1", new MediaLiveChannelStopped { eventId = eventId, source = "test", eventTime = T.Utc(at), accountId = "CUST001", channelId = "ch-1", region = "us-east-1", inputCount = 1, outputCount = 4 }, T.At(at));
        return [.. _priced.ReadRecordsToList().Select(r => r.Value)];
    }
}
