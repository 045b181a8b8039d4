using System.Diagnostics.Metrics;
using StreamBilling.Contracts;
using StreamBilling.Events.Cdn;
using StreamBilling.Events.Outputs;
using StreamBilling.Kafka;
using StreamBilling.Pipeline.Cdn;
using StreamBilling.Streams;
using StreamBilling.Streams.Testing;
using static StreamBilling.Pipeline.Tests.CdnEvents;

namespace StreamBilling.Pipeline.Tests;

public sealed class CdnCapWindowsTests : IDisposable
{
    private static readonly DateTimeOffset Start = T.At("2024-08-01T10:00:00Z");
    private readonly AvroSerdes _serdes = new(new InMemorySchemaRegistryClient());
    private readonly CdnCapOptions _options = new();
    private readonly CdnRegistrySnapshot _registry = TestCdnRegistry.Snapshot();
    private readonly TopologyTestDriver _driver;
    private readonly TestInputTopic<string, CdnTraffic> _traffic;
    private readonly TestOutputTopic<string, CdnCapDecision> _caps;
    private int _sequence;

    public CdnCapWindowsTests()
    {
        _driver = new TopologyTestDriver(PipelineTopologies.BuildCdnCaps(_serdes, _registry, _options));
        _traffic = _driver.CreateInputTopic(Topics.CdnTraffic, Serdes.Utf8, _serdes.For<CdnTraffic>());
        _caps = _driver.CreateOutputTopic(Topics.CdnCaps, Serdes.Utf8, _serdes.For<CdnCapDecision>());
    }

    public void Dispose() => _driver.Dispose();

    [Fact]
    public void BurstOver100GbIn15Minutes_YieldsOneDecision()
    {
        // 30 GB a minute: the fourth minute takes the 15-minute windows to 120 GB.
        SendMinutes("c1", minutes: 4, gbPerMinute: 30);

        var decision = Assert.Single(_caps.ReadRecordsToList());
        Assert.Equal("c1", decision.Key);
        Assert.Equal(("c1", "dist-c1", 120 * Gb, 100 * Gb), (decision.Value.customerId, decision.Value.distributionId, decision.Value.totalBytes, decision.Value.limitBytes));
        Assert.Equal(TimeSpan.FromMinutes(15), decision.Value.windowEnd - decision.Value.windowStart);
        Assert.InRange(new DateTimeOffset(decision.Value.windowStart, TimeSpan.Zero), Start.AddMinutes(-11), Start);
        Assert.Equal(["c1-3"], decision.Value.sourceEventIds);
        Assert.Equal(decision.Value.eventId, decision.Id);
    }

    [Fact]
    public void SteadyTrafficOver500GbIn3Hours_YieldsOne3HourDecision_AndNo15MinuteOne()
    {
        // 6 GB a minute: 90 GB per 15 minutes (under 100), 500 GB after 84 minutes.
        SendMinutes("c1", minutes: 120, gbPerMinute: 6);

        var decision = Assert.Single(_caps.ReadRecordsToList()).Value;
        Assert.Equal((500 * Gb, 504 * Gb), (decision.limitBytes, decision.totalBytes));
        Assert.Equal(TimeSpan.FromHours(3), decision.windowEnd - decision.windowStart);
    }

    [Fact]
    public void BurstOverBothCaps_YieldsExactlyOneDecisionPerCap()
    {
        // 40 GB a minute for 30 minutes: 1.2 TB, far over both caps in many hopping windows.
        SendMinutes("c1", minutes: 30, gbPerMinute: 40);

        var decisions = _caps.ReadRecordsToList().Select(d => d.Value).ToList();
        Assert.Equal([100 * Gb, 500 * Gb], decisions.Select(d => d.limitBytes));
        Assert.Equal([120 * Gb, 520 * Gb], decisions.Select(d => d.totalBytes));
    }

    [Fact]
    public void TrafficBelowBothLimits_YieldsNoDecision()
    {
        SendMinutes("c1", minutes: 180, gbPerMinute: 2);

        Assert.True(_caps.IsEmpty);
    }

    [Fact]
    public void MoreTrafficDuringTheBurst_YieldsNoMoreDecisions_ALaterBurstYieldsAnother()
    {
        SendMinutes("c1", minutes: 10, gbPerMinute: 30);
        Assert.Single(_caps.ReadRecordsToList());

        SendMinutes("c1", minutes: 4, gbPerMinute: 30, from: Start.AddMinutes(40));

        var second = Assert.Single(_caps.ReadRecordsToList()).Value;
        Assert.Equal(100 * Gb, second.limitBytes);
    }

    [Fact]
    public void EachCustomerIsCappedOnItsOwn()
    {
        SendMinutes("c1", minutes: 4, gbPerMinute: 30);
        SendMinutes("c2", minutes: 4, gbPerMinute: 20);

        Assert.Equal(["c1"], _caps.ReadRecordsToList().Select(d => d.Key));
    }

    [Fact]
    public void ResentSamples_AreCountedOnce()
    {
        var sample = CloudWatch("same", "c1", Start, 60);
        _traffic.PipeInput("c1", sample, Start.AddSeconds(80));
        _traffic.PipeInput("c1", sample, Start.AddSeconds(90));

        Assert.True(_caps.IsEmpty);
    }

    [Fact]
    public void ANegativeSample_GoesToTheLateTopic_AndDoesNotLowerTheTotal()
    {
        var late = _driver.CreateLateRecordsTopic();
        SendMinutes("c1", minutes: 3, gbPerMinute: 30);
        var negative = CloudWatch("neg", "c1", Start.AddMinutes(3), 0);
        negative.bytes = -50 * Gb;
        _traffic.PipeInput("c1", negative, Start.AddMinutes(4).AddSeconds(20));

        SendMinutes("c1", minutes: 1, gbPerMinute: 30, from: Start.AddMinutes(4));

        Assert.Equal("invalid-sample", Assert.Single(late.ReadLate(_serdes.For<CdnTraffic>())).Reason);
        Assert.Equal(120 * Gb, Assert.Single(_caps.ReadRecordsToList()).Value.totalBytes);
    }

    [Fact]
    public void SamplesOfACustomerNotInTheRegistry_GoToTheLateTopicAsUnknownCustomer_AreCounted_AndCapNothing()
    {
        long counted = 0;
        using var listener = LateRecordsListener("unknown-customer", () => Interlocked.Increment(ref counted));
        var late = _driver.CreateLateRecordsTopic();

        // 30 GB a minute would cross the 15-minute cap at the fourth minute, were the customer known.
        SendMinutes("stranger", minutes: 4, gbPerMinute: 30);

        Assert.True(_caps.IsEmpty);
        var records = late.ReadLate(_serdes.For<CdnTraffic>());
        Assert.Equal(4, records.Count);
        Assert.All(records, r => Assert.Equal("unknown-customer: stranger has no CDN registry row", r.Reason));
        Assert.Equal(["stranger-0", "stranger-1", "stranger-2", "stranger-3"], records.Select(r => r.Value.eventId));
        Assert.Equal(4, Interlocked.Read(ref counted));
    }

    [Fact]
    public void ACustomerAddedToTheRegistry_IsCountedFromItsNextSample()
    {
        var late = _driver.CreateLateRecordsTopic();
        SendMinutes("newcomer", minutes: 2, gbPerMinute: 30);

        _registry.Replace([.. TestCdnRegistry.Distributions, TestCdnRegistry.Of("newcomer")]);
        SendMinutes("newcomer", minutes: 4, gbPerMinute: 30, from: Start.AddMinutes(2));

        Assert.Equal(2, late.ReadLate(_serdes.For<CdnTraffic>()).Count);
        var decision = Assert.Single(_caps.ReadRecordsToList()).Value;
        Assert.Equal(("newcomer", 120 * Gb), (decision.customerId, decision.totalBytes));
    }

    [Fact]
    public void CostExplorerFigureOnTheSampleTopic_GoesToTheLateTopic_AndDoesNotCount()
    {
        var late = _driver.CreateLateRecordsTopic();
        _traffic.PipeInput("c1", CostExplorer("ce", "c1", Start, Start.AddMinutes(5), 200 * Gb), Start.AddMinutes(6));

        Assert.True(_caps.IsEmpty);
        Assert.StartsWith("wrong-data-source", Assert.Single(late.ReadLate(_serdes.For<CdnTraffic>())).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void SampleForClosedWindows_GoesToTheLateTopic_AndDoesNotCount()
    {
        var late = _driver.CreateLateRecordsTopic();
        SendMinutes("c1", minutes: 1, gbPerMinute: 1, from: Start.AddHours(4));

        _traffic.PipeInput("c1", CloudWatch("old", "c1", Start, 150), Start.AddHours(4).AddMinutes(2));

        var record = Assert.Single(late.ReadLate(_serdes.For<CdnTraffic>()));
        Assert.Equal(("old", "window-closed"), (record.Value.eventId, record.Reason));
        Assert.True(_caps.IsEmpty);
    }

    [Fact]
    public void SampleLateForSomeWindows_StillCountsInTheOpenOnes_AndIsReported()
    {
        var late = _driver.CreateLateRecordsTopic();
        SendMinutes("c1", minutes: 1, gbPerMinute: 1, from: Start.AddMinutes(20));

        // Usage at 10:00 published at 10:21:20: the 15-minute windows that ended by 10:16 are closed, [10:00, 10:15) still open... until 10:20 + grace.
        _traffic.PipeInput("c1", CloudWatch("partly", "c1", Start.AddMinutes(8), 150), Start.AddMinutes(21));

        Assert.Equal("window-partly-closed", Assert.Single(late.ReadLate(_serdes.For<CdnTraffic>())).Reason);
        Assert.Single(_caps.ReadRecordsToList());
    }

    [Fact]
    public void Replay_YieldsTheSameDecisionIds()
    {
        // 20 minutes at 30 GB cross both caps; the steady traffic five hours later crosses the 3-hour cap again.
        SendMinutes("c1", minutes: 20, gbPerMinute: 30);
        SendMinutes("c1", minutes: 120, gbPerMinute: 6, from: Start.AddHours(5));
        var first = _caps.ReadRecordsToList().Select(d => d.Id).ToList();

        using var replay = new TopologyTestDriver(PipelineTopologies.BuildCdnCaps(_serdes, TestCdnRegistry.Snapshot(), _options));
        var input = replay.CreateInputTopic(Topics.CdnTraffic, Serdes.Utf8, _serdes.For<CdnTraffic>());
        var output = replay.CreateOutputTopic(Topics.CdnCaps, Serdes.Utf8, _serdes.For<CdnCapDecision>());
        _sequence = 0;
        SendMinutes("c1", minutes: 20, gbPerMinute: 30, into: input);
        SendMinutes("c1", minutes: 120, gbPerMinute: 6, from: Start.AddHours(5), into: input);

        Assert.Equal(3, first.Count);
        Assert.Equal(first, output.ReadRecordsToList().Select(d => d.Id));
    }

    [Fact]
    public void Restart_RestoresTheSamples_SoTheBurstIsSummedAcrossIt_DuplicatesStayDropped_AndOneDecisionIsMade()
    {
        // 9 GB a minute: 90 GB after 10 minutes, under the cap; the crossing comes after the restart.
        SendMinutes("c1", minutes: 10, gbPerMinute: 9);
        var resent = CloudWatch("c1-9", "c1", Start.AddMinutes(9), 9);
        var samples = _driver.GetChangelog(CdnCapStores.For(_options).Samples);
        var decided = _driver.GetChangelog(CdnCapStores.For(_options).Decided);

        using var restarted = new TopologyTestDriver(PipelineTopologies.BuildCdnCaps(_serdes, TestCdnRegistry.Snapshot(), _options));
        restarted.RestoreStore(CdnCapStores.For(_options).Samples, samples);
        restarted.RestoreStore(CdnCapStores.For(_options).Decided, decided);
        var input = restarted.CreateInputTopic(Topics.CdnTraffic, Serdes.Utf8, _serdes.For<CdnTraffic>());
        var output = restarted.CreateOutputTopic(Topics.CdnCaps, Serdes.Utf8, _serdes.For<CdnCapDecision>());
        input.PipeInput("c1", resent, Start.AddMinutes(10).AddSeconds(30));
        Assert.True(output.IsEmpty);
        SendMinutes("c1", minutes: 3, gbPerMinute: 9, from: Start.AddMinutes(10), into: input);

        Assert.True(_caps.IsEmpty);
        var decision = Assert.Single(output.ReadRecordsToList()).Value;
        Assert.Equal((108 * Gb, "c1-11"), (decision.totalBytes, decision.sourceEventIds.Single()));
    }

    [Fact]
    public void SamplesOfOneCommit_AreLoggedOncePerCustomerAndBucket()
    {
        _traffic.PipeBatch(Enumerable.Range(0, 30).Select(i =>
            new TestRecord<string, CdnTraffic>("c1", CloudWatch($"b-{i}", "c1", Start.AddMinutes(i), 1), Start.AddMinutes(i).AddSeconds(80))));

        // 10:00–10:30 is two 15-minute buckets: two changelog records for 30 samples.
        var logged = _driver.GetChangelog(CdnCapStores.For(_options).Samples);
        Assert.Equal(2, logged.Count);
        Assert.Equal(30, logged.Sum(r => CdnSampleBucketSerde.Instance.Deserialize(r.Value, default).Samples.Count));
    }

    /// <summary>One CloudWatch sample a minute, published 20 s after its minute ends.</summary>
    /// <summary>Calls <paramref name="onLate"/> for each record the cap topology counts as late with reason code <paramref name="reason"/>.</summary>
    private static MeterListener LateRecordsListener(string reason, Action onLate)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == StreamsMetrics.MeterName && instrument.Name == "streambilling.streams.late_records")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var (application, code) = (string.Empty, string.Empty);
            foreach (var tag in tags)
            {
                application = tag.Key == "application" ? tag.Value as string ?? string.Empty : application;
                code = tag.Key == "reason" ? tag.Value as string ?? string.Empty : code;
            }

            if (application == new CdnCapOptions().ApplicationId && code == reason)
            {
                for (var i = 0; i < value; i++)
                {
                    onLate();
                }
            }
        });
        listener.Start();
        return listener;
    }

    private void SendMinutes(string customer, int minutes, long gbPerMinute, DateTimeOffset? from = null, TestInputTopic<string, CdnTraffic>? into = null)
    {
        var first = from ?? Start;
        for (var i = 0; i < minutes; i++)
        {
            var periodStart = first.AddMinutes(i);
            (into ?? _traffic).PipeInput(customer, CloudWatch($"{customer}-{_sequence++}", customer, periodStart, gbPerMinute), periodStart.AddSeconds(80));
        }
    }
}
