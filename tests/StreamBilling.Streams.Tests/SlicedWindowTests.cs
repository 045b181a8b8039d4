using StreamBilling.Streams.Testing;

namespace StreamBilling.Streams.Tests;

/// <summary>
/// Hopping aggregation with a merger stores slices instead of overlapping windows; it must give exactly the results,
/// ids and late records of the per-window aggregation on any input.
/// </summary>
public class SlicedWindowTests
{
    public static TheoryData<int, int, int, int, EmitStrategy> Cases()
    {
        var data = new TheoryData<int, int, int, int, EmitStrategy>();
        foreach (var emit in new[] { EmitStrategy.OnUpdate, EmitStrategy.OnWindowClose })
        {
            for (var seed = 1; seed <= 6; seed++)
            {
                data.Add(seed, 6, 2, 1, emit);     // slices = the advance
                data.Add(seed, 15, 1, 0, emit);    // the CDN 15-minute shape, no grace
                data.Add(seed, 10, 4, 3, emit);    // size not a multiple of the advance: 2-minute slices
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void SlicedAggregation_MatchesPerWindowAggregation(int seed, int sizeMinutes, int advanceMinutes, int graceMinutes, EmitStrategy emit)
    {
        var windows = TimeWindows.Hopping(TimeSpan.FromMinutes(sizeMinutes), TimeSpan.FromMinutes(advanceMinutes), TimeSpan.FromMinutes(graceMinutes));
        var input = RandomInput(seed);

        var expected = Run(windows, emit, sliced: false, input);
        var actual = Run(windows, emit, sliced: true, input);

        Assert.NotEmpty(expected.Results);
        if (emit == EmitStrategy.OnUpdate)
        {
            Assert.Equal(expected.Results, actual.Results);
        }
        else
        {
            // Within one closing window the order of keys is the store's, not part of the contract.
            Assert.Equal(expected.Results.Order(), actual.Results.Order());
        }

        Assert.Equal(expected.Late, actual.Late);
    }

    [Fact]
    public void SlicedStore_HoldsOneEntryPerSliceNotPerWindow()
    {
        var windows = TimeWindows.Hopping(TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(1), TimeSpan.Zero);
        using var driver = new TopologyTestDriver(Build(windows, EmitStrategy.OnWindowClose, sliced: true));
        var topic = driver.CreateInputTopic<string, long>("in", Serdes.Utf8, Serdes.BigEndianInt64);
        topic.PipeInput("k", 5, T.At("2024-08-01T10:00:10Z"));
        topic.PipeInput("k", 7, T.At("2024-08-01T10:00:50Z"));

        var store = driver.GetWindowStore<string, long>("sums");
        var entry = Assert.Single(store.All());
        Assert.Equal(12, entry.Value);
        Assert.Equal(TimeSpan.FromMinutes(1), entry.Key.End - entry.Key.Start);
    }

    private static List<(string Key, long Value, DateTimeOffset Time)> RandomInput(int seed)
    {
        var random = new Random(seed);
        var start = T.At("2024-08-01T10:00:00Z");
        var time = start;
        var records = new List<(string, long, DateTimeOffset)>();
        for (var i = 0; i < 400; i++)
        {
            time += TimeSpan.FromSeconds(random.Next(0, 40));
            // Every tenth record is out of order: some within grace, some beyond it (late for some or all windows).
            var at = i % 10 == 9 ? time - TimeSpan.FromSeconds(random.Next(0, 1_200)) : time;
            records.Add(($"k{random.Next(0, 4)}", random.Next(1, 1_000), at));
        }

        return records;
    }

    private static (List<string> Results, List<string> Late) Run(TimeWindows windows, EmitStrategy emit, bool sliced, List<(string Key, long Value, DateTimeOffset Time)> input)
    {
        using var driver = new TopologyTestDriver(Build(windows, emit, sliced));
        var topic = driver.CreateInputTopic<string, long>("in", Serdes.Utf8, Serdes.BigEndianInt64);
        var output = driver.CreateOutputTopic<string, long>("out", Serdes.Utf8, Serdes.BigEndianInt64);
        var late = driver.CreateLateRecordsTopic();
        foreach (var (key, value, time) in input)
        {
            topic.PipeInput(key, value, time);
        }

        return (
            [.. output.ReadRecordsToList().Select(r => $"{r.Id} {r.Key} {r.Value} {r.Timestamp:O}")],
            [.. late.ReadRecordsToList().Select(r => $"{Serdes.Utf8.Deserialize(r.Key, default)} {r.Value.ValueAs(Serdes.BigEndianInt64)} {r.Value.WindowStart:O}")]);
    }

    private static Topology Build(TimeWindows windows, EmitStrategy emit, bool sliced)
    {
        var builder = new StreamsBuilder("sliced-app");
        var windowed = builder.Stream("in", Serdes.Utf8, Serdes.BigEndianInt64).GroupByKey().WindowedBy(windows);
        var options = new WindowedAggregateOptions<long> { StoreName = "sums", AggregateSerde = Serdes.BigEndianInt64, EmitStrategy = emit };
        var results = sliced
            ? windowed.Aggregate(() => 0L, (_, value, sum) => sum + value, (_, a, b) => a + b, options)
            : windowed.Aggregate(() => 0L, (_, value, sum) => sum + value, options);
        results.SelectKey((window, _) => $"{window.Key}@{window.Start:HH:mm}").To("out", Serdes.Utf8, Serdes.BigEndianInt64);
        return builder.Build();
    }
}
