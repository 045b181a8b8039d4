using StreamBilling.Streams.Testing;

namespace StreamBilling.Streams.Tests;

public class RestoreTests
{
    private static readonly ISerde<Windowed<string>> WindowedKeys = Serdes.Windowed(Serdes.Utf8);

    private static Topology Topology(bool persistent)
    {
        var builder = new StreamsBuilder("restore-app");
        builder.Stream<string, long>("usage")
            .GroupByKey()
            .WindowedBy(TimeWindows.OfSizeWithGrace(TimeSpan.FromHours(1), T.Min(5)))
            .Aggregate(() => 0L, (_, v, sum) => sum + v, new WindowedAggregateOptions<long> { StoreName = "hourly", EmitStrategy = EmitStrategy.OnWindowClose, Persistent = persistent })
            .To("hourly-out", WindowedKeys, Serdes.BigEndianInt64);
        return builder.Build();
    }

    private static readonly (string Key, long Value, string Time)[] FirstHalf =
    [
        ("a", 1, "2024-08-01T10:05:00Z"), ("b", 2, "2024-08-01T10:20:00Z"), ("a", 4, "2024-08-01T10:50:00Z"),
        ("a", 8, "2024-08-01T11:10:00Z"), ("b", 16, "2024-08-01T11:30:00Z"),
    ];

    private static readonly (string Key, long Value, string Time)[] SecondHalf =
    [
        ("a", 32, "2024-08-01T11:40:00Z"), ("b", 64, "2024-08-01T12:10:00Z"), ("a", 1, "2024-08-01T14:00:00Z"),
    ];

    private static List<(string, DateTimeOffset, long, string?)> Drain(TestOutputTopic<Windowed<string>, long> output) =>
        [.. output.ReadRecordsToList().Select(r => (r.Key.Key, r.Key.Start, r.Value, r.Id))];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RestoredTask_ContinuesExactlyLikeAnUninterruptedOne(bool persistent)
    {
        List<(string, DateTimeOffset, long, string?)> uninterrupted;
        using (var driver = new TopologyTestDriver(Topology(persistent)))
        {
            var input = driver.CreateInputTopic<string, long>("usage");
            foreach (var (k, v, t) in FirstHalf.Concat(SecondHalf))
            {
                input.PipeInput(k, v, T.At(t));
            }

            uninterrupted = Drain(driver.CreateOutputTopic<Windowed<string>, long>("hourly-out", WindowedKeys, Serdes.BigEndianInt64));
        }

        List<(string, DateTimeOffset, long, string?)> beforeCrash;
        IReadOnlyList<ChangelogRecord> windows;
        IReadOnlyList<ChangelogRecord> marker;
        DateTimeOffset streamTime;
        using (var driver = new TopologyTestDriver(Topology(persistent)))
        {
            var input = driver.CreateInputTopic<string, long>("usage");
            foreach (var (k, v, t) in FirstHalf)
            {
                input.PipeInput(k, v, T.At(t));
            }

            beforeCrash = Drain(driver.CreateOutputTopic<Windowed<string>, long>("hourly-out", WindowedKeys, Serdes.BigEndianInt64));
            windows = driver.GetChangelog("hourly");
            marker = driver.GetChangelog("hourly-emitted");
            streamTime = driver.StreamTime();
        }

        using (var driver = new TopologyTestDriver(Topology(persistent)))
        {
            driver.RestoreStore("hourly", windows);
            driver.RestoreStore("hourly-emitted", marker);
            var input = driver.CreateInputTopic<string, long>("usage");
            foreach (var (k, v, t) in SecondHalf)
            {
                input.PipeInput(k, v, T.At(t));
            }

            var afterRestore = Drain(driver.CreateOutputTopic<Windowed<string>, long>("hourly-out", WindowedKeys, Serdes.BigEndianInt64));
            Assert.Equal(uninterrupted, [.. beforeCrash, .. afterRestore]);
            Assert.Equal(T.At("2024-08-01T11:30:00Z"), streamTime);
        }
    }

    [Fact]
    public void RestoreStore_AfterProcessingStarted_Fails()
    {
        using var driver = new TopologyTestDriver(Topology(persistent: false));
        driver.CreateInputTopic<string, long>("usage").PipeInput("a", 1, T.At("2024-08-01T10:00:00Z"));

        Assert.Throws<InvalidOperationException>(() => driver.RestoreStore("hourly", []));
    }
}
