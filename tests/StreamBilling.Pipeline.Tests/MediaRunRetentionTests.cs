using StreamBilling.Billing.RateCards;
using StreamBilling.Contracts;
using StreamBilling.Events.Media;
using StreamBilling.Events.Outputs;
using StreamBilling.Kafka;
using StreamBilling.Pipeline.Pricing;
using StreamBilling.Streams;
using StreamBilling.Streams.Testing;

namespace StreamBilling.Pipeline.Tests;

/// <summary>
/// Pricing retention of the MediaLive and MediaConvert run stores (defaults: a priced run is kept 7 days after its
/// end, a lone start or end waits 35 days for its other end). Stream time is moved on by starts of another channel.
/// </summary>
public sealed class MediaRunRetentionTests : IDisposable
{
    private static readonly RateCard Card = RateCard.Load(Path.Combine(AppContext.BaseDirectory, "infra", "rate-card.json"));
    private static readonly PricingOptions Options = new() { RateCard = Card };

    private readonly AvroSerdes _serdes = new(new InMemorySchemaRegistryClient());
    private TopologyTestDriver _driver;
    private TestOutputTopic<string, PricedLineItem> _priced;
    private TestOutputTopic<byte[], Streams.RejectedRecord> _late;

    public MediaRunRetentionTests() => (_driver, _priced, _late) = Start();

    [Fact]
    public void PricedRun_IsKeptWithinTheRetention_ForResentEnds_AndRemovedAfterIt()
    {
        Started("ch-1", "ml-start", "2024-09-01T10:00:00Z");
        var priced = Stopped("ch-1", "ml-stop", "2024-09-01T12:10:00Z");

        Clock("2024-09-08T12:00:00Z");
        var resent = Stopped("ch-1", "ml-stop", "2024-09-01T12:10:00Z");
        var keptWithin = Runs().TryGet("ch-1", out _);
        Clock("2024-09-08T13:00:00Z");

        Assert.Equal(priced.Select(l => (l.eventId, Avro.AvroDecimal.ToDecimal(l.amount))), resent.Select(l => (l.eventId, Avro.AvroDecimal.ToDecimal(l.amount))));
        Assert.NotEmpty(priced);
        Assert.True(keptWithin);
        Assert.False(Runs().TryGet("ch-1", out _));
    }

    [Fact]
    public void EndsOfAPrunedRun_GoToTheLateRecordsTopic_AndAreNotPricedAgain()
    {
        Started("ch-1", "ml-start", "2024-09-01T10:00:00Z");
        Stopped("ch-1", "ml-stop", "2024-09-01T12:10:00Z");
        Clock("2024-09-08T13:00:00Z");

        var stop = Stopped("ch-1", "ml-stop", "2024-09-01T12:10:00Z");
        var start = Started("ch-1", "ml-start", "2024-09-01T10:00:00Z");

        Assert.Empty(stop.Concat(start).Select(l => l.eventId));
        Assert.Equal(
            [("ml-stop", "run-pruned"), ("ml-start", "run-pruned")],
            Late().Select(l => (l.Edge.EventId, l.Reason[..l.Reason.IndexOf(':', StringComparison.Ordinal)])));
        Assert.False(Runs().TryGet("ch-1", out _));
    }

    [Fact]
    public void LoneStart_IsReportedUnpairedAfterItsRetention_AndItsStopFollowsIt_WithoutPricing()
    {
        Started("ch-1", "ml-start", "2024-09-01T10:00:00Z");

        Clock("2024-10-06T11:00:00Z");
        var reported = Late();
        var stop = Stopped("ch-1", "ml-stop", "2024-10-06T11:30:00Z");

        var (edge, reason) = Assert.Single(reported);
        Assert.Equal(("ml-start", "unpaired-run: no end within 35.00:00:00"), (edge.EventId, reason));
        Assert.Empty(stop.Select(l => l.eventId));
        Assert.StartsWith("unpaired-run: its start was reported unpaired", Assert.Single(Late()).Reason, StringComparison.Ordinal);

        // Kept as reported for the run retention (a re-sent stop is recognised and not reported again), then removed.
        Assert.Empty(Stopped("ch-1", "ml-stop", "2024-10-06T11:30:00Z").Select(l => l.eventId));
        Assert.Empty(Late());
        Clock("2024-10-13T11:00:00Z");
        Assert.False(Runs().TryGet("ch-1", out _));
    }

    [Fact]
    public void WithinTheUnpairedRetention_ALongRunIsStillPriced()
    {
        Started("ch-1", "ml-start", "2024-09-01T10:00:00Z");
        Clock("2024-09-30T10:00:00Z");

        var lines = Stopped("ch-1", "ml-stop", "2024-09-30T10:00:00Z");

        Assert.Equal([("Input-Hours", 29m * 24), ("Output-Hours", 29m * 24 * 4)], lines.Select(l => (l.usageType, Avro.AvroDecimal.ToDecimal(l.quantity) / 1.0000000000000000000000000000m)));
        Assert.Empty(Late());
    }

    [Fact]
    public void RestoreAfterPruning_DoesNotBringTheRunBack()
    {
        Started("ch-1", "ml-start", "2024-09-01T10:00:00Z");
        Stopped("ch-1", "ml-stop", "2024-09-01T12:10:00Z");
        Clock("2024-09-08T13:00:00Z");
        var changelog = _driver.GetChangelog(Options.MediaLiveStoreName);

        _driver.Dispose();
        (_driver, _priced, _late) = Start();
        _driver.RestoreStore(Options.MediaLiveStoreName, changelog);
        var restored = Runs().All().Select(r => r.Key).ToList();

        // The driver does not resume stream time as a new owner does (from the commit metadata): move it on first.
        Clock("2024-09-08T13:30:00Z");
        var resent = Stopped("ch-1", "ml-stop", "2024-09-01T12:10:00Z");

        Assert.DoesNotContain("ch-1", restored);
        Assert.Contains("ch-clock", restored);
        Assert.Empty(resent.Select(l => l.eventId));
        Assert.StartsWith("run-pruned:", Assert.Single(Late()).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void FinishedMediaConvertJob_IsRemovedAfterTheRetention()
    {
        var started = _driver.CreateInputTopic(Topics.MediaConvertJobStarted, Serdes.Utf8, _serdes.For<MediaConvertJobStarted>());
        var finished = _driver.CreateInputTopic(Topics.MediaConvertJobFinished, Serdes.Utf8, _serdes.For<MediaConvertJobFinished>());
        var jobs = _driver.GetKeyValueStore<string, MediaRun>(Options.MediaConvertStoreName);
        var (from, until) = (T.At("2024-09-01T10:00:00Z"), T.At("2024-09-01T10:12:30Z"));
        started.PipeInput("job-1", new MediaConvertJobStarted { eventId = "mc-start", source = "test", eventTime = from.UtcDateTime, accountId = "CUST001", jobId = "job-1", region = "us-east-1" }, from);
        finished.PipeInput("job-1", new MediaConvertJobFinished { eventId = "mc-end", source = "test", eventTime = until.UtcDateTime, accountId = "CUST001", jobId = "job-1", region = "us-east-1", outcome = MediaConvertJobOutcome.Completed }, until);
        Assert.Single(_priced.ReadRecordsToList().Select(r => r.Value.eventId));
        Assert.True(jobs.TryGet("job-1", out _));

        var later = T.At("2024-09-08T11:00:00Z");
        started.PipeInput("job-2", new MediaConvertJobStarted { eventId = "mc-start-2", source = "test", eventTime = later.UtcDateTime, accountId = "CUST001", jobId = "job-2", region = "us-east-1" }, later);

        Assert.False(jobs.TryGet("job-1", out _));
    }

    [Fact]
    public void Options_RejectANonPositiveRetention()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PricingTopology.Build(_serdes, new PricingOptions { RateCard = Card, MediaRunRetention = TimeSpan.Zero }));
        Assert.Throws<ArgumentOutOfRangeException>(() => PricingTopology.Build(_serdes, new PricingOptions { RateCard = Card, UnpairedMediaRunRetention = TimeSpan.FromDays(-1) }));
    }

    public void Dispose() => _driver.Dispose();

    private (TopologyTestDriver, TestOutputTopic<string, PricedLineItem>, TestOutputTopic<byte[], Streams.RejectedRecord>) Start()
    {
        var driver = new TopologyTestDriver(PricingTopology.Build(_serdes, Options));
        return (
            driver,
            driver.CreateOutputTopic(Topics.PricedLines, Serdes.Utf8, _serdes.For<PricedLineItem>()),
            driver.CreateLateRecordsTopic());
    }

    private IKeyValueStore<string, MediaRun> Runs() => _driver.GetKeyValueStore<string, MediaRun>(Options.MediaLiveStoreName);

    private List<(MediaEdge Edge, string Reason)> Late() =>
        [.. _late.ReadLate(Serdes.Json<MediaEdge>()).Select(r => (r.Value, r.Reason))];

    /// <summary>Moves stream time on with the start of a channel that never stops (its start is recent, so it is not reported).</summary>
    private void Clock(string at) => Started("ch-clock", "clock-" + at, at);

    private List<PricedLineItem> Started(string channel, string eventId, string at)
    {
        var topic = _driver.CreateInputTopic(Topics.MediaLiveChannelStarted, Serdes.Utf8, _serdes.For<MediaLiveChannelStarted>());
        topic.PipeInput(channel, new MediaLiveChannelStarted { eventId = eventId, source = "test", eventTime = T.Utc(at), accountId = "CUST001", channelId = channel, region = "us-east-1", inputCount = 1, outputCount = 4 }, T.At(at));
        return [.. _priced.ReadRecordsToList().Select(r => r.Value)];
    }

    private List<PricedLineItem> Stopped(string channel, string eventId, string at)
    {
        var topic = _driver.CreateInputTopic(Topics.MediaLiveChannelStopped, Serdes.Utf8, _serdes.For<MediaLiveChannelStopped>());
        topic.PipeInput(channel, new MediaLiveChannelStopped { eventId = eventId, source = "test", eventTime = T.Utc(at), accountId = "CUST001", channelId = channel, region = "us-east-1", inputCount = 1, outputCount = 4 }, T.At(at));
        return [.. _priced.ReadRecordsToList().Select(r => r.Value)];
    }
}
