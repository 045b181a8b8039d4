using System.Diagnostics.Metrics;
using StreamBilling.Streams.Testing;

namespace StreamBilling.Streams.Tests;

public class WindowedAggregationTests
{
    private static readonly ISerde<Windowed<string>> WindowedKeys = Serdes.Windowed(Serdes.Utf8);

    private static Topology SumTopology(string app, TimeWindows windows, EmitStrategy emit, bool persistent = false, TimeSpan? retention = null)
    {
        var builder = new StreamsBuilder(app);
        builder.Stream<string, long>("usage")
            .GroupByKey()
            .WindowedBy(windows)
            .Aggregate(() => 0L, (_, v, sum) => sum + v, new WindowedAggregateOptions<long> { StoreName = "sums", EmitStrategy = emit, Persistent = persistent, Retention = retention })
            .To("sums-out", WindowedKeys, Serdes.BigEndianInt64);
        return builder.Build();
    }

    private static (TestInputTopic<string, long> Input, TestOutputTopic<Windowed<string>, long> Output) Topics(TopologyTestDriver driver) =>
        (driver.CreateInputTopic<string, long>("usage"), driver.CreateOutputTopic<Windowed<string>, long>("sums-out", WindowedKeys, Serdes.BigEndianInt64));

    [Fact]
    public void Tumbling_RecordAtBoundary_StartsTheNextWindow()
    {
        using var driver = new TopologyTestDriver(SumTopology("agg-tumbling", TimeWindows.OfSizeWithNoGrace(TimeSpan.FromHours(1)), EmitStrategy.OnUpdate));
        var (input, output) = Topics(driver);

        input.PipeInput("c", 1, T.At("2024-08-01T10:59:59Z"));
        input.PipeInput("c", 10, T.At("2024-08-01T11:00:00Z"));

        var results = output.ReadRecordsToList();
        Assert.Equal(T.At("2024-08-01T10:00:00Z"), results[0].Key.Start);
        Assert.Equal(1, results[0].Value);
        Assert.Equal(T.At("2024-08-01T11:00:00Z"), results[1].Key.Start);
        Assert.Equal(T.At("2024-08-01T12:00:00Z"), results[1].Key.End);
        Assert.Equal(10, results[1].Value);
    }

    [Fact]
    public void Hopping_OnUpdate_RecordUpdatesEveryOverlappingWindow()
    {
        using var driver = new TopologyTestDriver(SumTopology("agg-hopping", TimeWindows.Hopping(T.Min(15), T.Min(5), TimeSpan.Zero), EmitStrategy.OnUpdate));
        var (input, output) = Topics(driver);

        input.PipeInput("c", 7, T.At("2024-08-01T10:05:00Z"));

        var results = output.ReadRecordsToList();
        Assert.Equal([T.At("2024-08-01T09:55:00Z"), T.At("2024-08-01T10:00:00Z"), T.At("2024-08-01T10:05:00Z")], results.Select(r => r.Key.Start));
        Assert.All(results, r => Assert.Equal(7, r.Value));
    }

    [Fact]
    public void EmitFinal_EmitsEachWindowOnceWhenStreamTimePassesEndPlusGrace()
    {
        using var driver = new TopologyTestDriver(SumTopology("agg-final", TimeWindows.OfSizeWithGrace(TimeSpan.FromHours(1), T.Min(10)), EmitStrategy.OnWindowClose));
        var (input, output) = Topics(driver);

        input.PipeInput("c", 1, T.At("2024-08-01T10:10:00Z"));
        input.PipeInput("c", 2, T.At("2024-08-01T10:50:00Z"));
        input.PipeInput("c", 4, T.At("2024-08-01T11:09:59Z"));
        Assert.True(output.IsEmpty);

        input.PipeInput("c", 8, T.At("2024-08-01T11:10:00Z"));
        var final = output.ReadRecordsToList();

        Assert.Single(final);
        Assert.Equal(T.At("2024-08-01T10:00:00Z"), final[0].Key.Start);
        Assert.Equal(3, final[0].Value);

        input.PipeInput("c", 16, T.At("2024-08-01T11:20:00Z"));
        Assert.True(output.IsEmpty);
    }

    [Fact]
    public void EmitFinal_Hopping_EmitsOneResultPerWindowAndKey()
    {
        using var driver = new TopologyTestDriver(SumTopology("agg-final-hop", TimeWindows.Hopping(T.Min(15), T.Min(1), TimeSpan.Zero), EmitStrategy.OnWindowClose));
        var (input, output) = Topics(driver);

        input.PipeInput("a", 1, T.At("2024-08-01T10:00:30Z"));
        input.PipeInput("b", 1, T.At("2024-08-01T10:00:30Z"));
        input.PipeInput("a", 1, T.At("2024-08-01T12:00:00Z"));

        var results = output.ReadRecordsToList();
        Assert.Equal(30, results.Count);
        Assert.Equal(30, results.Select(r => (r.Key.Key, r.Key.Start)).Distinct().Count());
        Assert.Equal(30, results.Select(r => r.Id).Distinct().Count());
    }

    [Fact]
    public void EmitOnUpdate_EmitsEveryChangeWithTheSameWindowId()
    {
        using var driver = new TopologyTestDriver(SumTopology("agg-update", TimeWindows.OfSizeWithNoGrace(TimeSpan.FromHours(1)), EmitStrategy.OnUpdate));
        var (input, output) = Topics(driver);

        input.PipeInput("c", 1, T.At("2024-08-01T10:10:00Z"));
        input.PipeInput("c", 2, T.At("2024-08-01T10:20:00Z"));

        var results = output.ReadRecordsToList();
        Assert.Equal([1L, 3L], results.Select(r => r.Value));
        Assert.Equal(results[0].Id, results[1].Id);
    }

    [Fact]
    public void LateRecord_GoesToLateTopicWithReason_AndIsNotAggregated()
    {
        using var driver = new TopologyTestDriver(SumTopology("agg-late", TimeWindows.OfSizeWithGrace(TimeSpan.FromHours(1), T.Min(5)), EmitStrategy.OnUpdate));
        var (input, output) = Topics(driver);
        var late = driver.CreateLateRecordsTopic();

        input.PipeInput("c", 1, T.At("2024-08-01T11:05:00Z"));
        input.PipeInput("c", 100, T.At("2024-08-01T10:59:00Z"));

        var lateRecord = Assert.Single(late.ReadRecordsToList());
        var rejected = lateRecord.Value;
        Assert.Equal(100, rejected.ValueAs(Serdes.BigEndianInt64));
        Assert.Equal(("agg-late", "window-closed", T.At("2024-08-01T10:00:00Z")), (rejected.ApplicationId, rejected.Reason, rejected.WindowStart));
        Assert.Equal(("usage", 0, 1L), (rejected.SourceTopic, rejected.SourcePartition, rejected.SourceOffset));
        Assert.Equal((T.At("2024-08-01T10:59:00Z"), T.At("2024-08-01T11:05:00Z")), (rejected.Timestamp, rejected.StreamTime));
        Assert.Equal("window-closed", lateRecord.Headers!.GetLastString(RecordHeaderNames.LateReason));
        Assert.Equal("2024-08-01T10:00:00.0000000+00:00", lateRecord.Headers.GetLastString(RecordHeaderNames.LateWindowStart));
        Assert.Equal("usage/0/1", lateRecord.Headers.GetLastString(RecordHeaderNames.LateOrigin));
        Assert.Equal([1L], output.ReadRecordsToList().Select(r => r.Value));
        Assert.Equal("agg-late-late-records", driver.LateRecordsTopic);
    }

    [Fact]
    public void OutOfOrderWithinGrace_IsAggregated()
    {
        using var driver = new TopologyTestDriver(SumTopology("agg-grace", TimeWindows.OfSizeWithGrace(TimeSpan.FromHours(1), T.Min(5)), EmitStrategy.OnWindowClose));
        var (input, output) = Topics(driver);
        var late = driver.CreateLateRecordsTopic();

        input.PipeInput("c", 1, T.At("2024-08-01T10:30:00Z"));
        input.PipeInput("c", 1, T.At("2024-08-01T11:04:59Z"));
        input.PipeInput("c", 10, T.At("2024-08-01T10:59:00Z"));
        input.PipeInput("c", 1, T.At("2024-08-01T11:05:00Z"));

        Assert.True(late.IsEmpty);
        Assert.Equal(11, output.ReadRecordsToList().Single(r => r.Key.Start == T.At("2024-08-01T10:00:00Z")).Value);
    }

    [Fact]
    public void Hopping_PartlyLateRecord_CountsInOpenWindowsAndIsReportedOnce()
    {
        using var driver = new TopologyTestDriver(SumTopology("agg-partly-late", TimeWindows.Hopping(T.Min(10), T.Min(5), TimeSpan.Zero), EmitStrategy.OnUpdate));
        var (input, output) = Topics(driver);
        var late = driver.CreateLateRecordsTopic();

        input.PipeInput("c", 1, T.At("2024-08-01T10:10:00Z"));
        output.ReadRecordsToList();
        // 10:07 belongs to [10:00,10:10) (closed at 10:10) and [10:05,10:15) (open).
        input.PipeInput("c", 5, T.At("2024-08-01T10:07:00Z"));

        var updated = Assert.Single(output.ReadRecordsToList());
        Assert.Equal(T.At("2024-08-01T10:05:00Z"), updated.Key.Start);
        Assert.Equal(6, updated.Value);
        Assert.Single(late.ReadRecordsToList());
    }

    [Fact]
    public void LateRecord_IsCountedByTheLateRecordsMetric()
    {
        long late = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == StreamsMetrics.MeterName && instrument.Name == "streambilling.streams.late_records")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "task_id" && Equals(tag.Value, "0_0"))
                {
                    Interlocked.Add(ref late, value);
                }
            }
        });
        listener.Start();
        using var driver = new TopologyTestDriver(SumTopology("agg-late-metric", TimeWindows.OfSizeWithNoGrace(TimeSpan.FromHours(1)), EmitStrategy.OnUpdate));
        var (input, _) = Topics(driver);

        input.PipeInput("c", 1, T.At("2024-08-01T12:00:00Z"));
        input.PipeInput("c", 1, T.At("2024-08-01T10:00:00Z"));

        Assert.True(Interlocked.Read(ref late) >= 1);
    }

    [Fact]
    public void NullKey_GoesToLateTopicWithReason()
    {
        using var driver = new TopologyTestDriver(SumTopology("agg-null-key", TimeWindows.OfSizeWithNoGrace(TimeSpan.FromHours(1)), EmitStrategy.OnUpdate));
        var (input, output) = Topics(driver);
        var late = driver.CreateLateRecordsTopic();

        input.PipeInput(null!, 3, T.At("2024-08-01T10:00:00Z"));

        var rejected = Assert.Single(late.ReadRecordsToList()).Value;
        Assert.Equal("null-key", rejected.Reason);
        Assert.Null(rejected.Key);
        Assert.True(output.IsEmpty);
    }

    [Fact]
    public void WindowStore_IsInspectableThroughTheDriver()
    {
        using var driver = new TopologyTestDriver(SumTopology("agg-inspect", TimeWindows.OfSizeWithNoGrace(TimeSpan.FromHours(1)), EmitStrategy.OnUpdate));
        var (input, _) = Topics(driver);

        input.PipeInput("c", 4, T.At("2024-08-01T10:10:00Z"));

        var store = driver.GetWindowStore<string, long>("sums");
        Assert.True(store.TryGet("c", T.At("2024-08-01T10:00:00Z"), out var sum));
        Assert.Equal(4, sum);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Results_AreIdenticalAcrossRunsAndStoreKinds(bool persistent)
    {
        static List<(string Key, DateTimeOffset Start, long Value, string? Id)> Run(bool persistent)
        {
            using var driver = new TopologyTestDriver(SumTopology("agg-stable", TimeWindows.Hopping(T.Min(15), T.Min(1), T.Min(2)), EmitStrategy.OnWindowClose, persistent));
            var (input, output) = Topics(driver);
            var start = T.At("2024-08-01T10:00:00Z");
            for (var i = 0; i < 200; i++)
            {
                input.PipeInput($"cust-{i % 7}", i, start.AddSeconds(i * 37 % 3600));
            }

            input.PipeInput("flush", 0, start.AddHours(3));
            return [.. output.ReadRecordsToList().Select(r => (r.Key.Key, r.Key.Start, r.Value, r.Id)).OrderBy(r => r.Start).ThenBy(r => r.Key, StringComparer.Ordinal)];
        }

        var inMemory = Run(persistent: false);
        var again = Run(persistent);

        Assert.NotEmpty(inMemory);
        Assert.Equal(inMemory, again);
    }
}
