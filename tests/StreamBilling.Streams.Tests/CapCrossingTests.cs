using StreamBilling.Streams.Testing;

namespace StreamBilling.Streams.Tests;

/// <summary>
/// The DSL shape issue 5's CDN caps need: hopping windows, an aggregate that remembers whether its window already crossed
/// the limit, and a filter that keeps only the update that crossed it — one decision per window crossing.
/// </summary>
public class CapCrossingTests
{
    private const long Limit = 100;

    private static Topology Build()
    {
        var builder = new StreamsBuilder("caps-app");
        builder.Stream<string, long>("cdn-bytes")
            .GroupByKey()
            .WindowedBy(TimeWindows.Hopping(TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1)))
            .Aggregate(
                () => new CapState(0, false, false),
                (_, bytes, state) =>
                {
                    var total = state.Total + bytes;
                    var crossed = total > Limit;
                    return new CapState(total, crossed, crossed && !state.Crossed);
                },
                new WindowedAggregateOptions<CapState> { StoreName = "cdn-15m" })
            .Filter((_, state) => state.JustCrossed)
            .MapValues((window, state) => new Decision(window.Key, window.Start, window.End, state.Total))
            .SelectKey((window, _) => window.Key)
            .To("cdn.caps", Serdes.Utf8, Serdes.Json<Decision>());
        return builder.Build();
    }

    [Fact]
    public void EachWindowThatCrossesTheLimit_YieldsExactlyOneDecision()
    {
        using var driver = new TopologyTestDriver(Build());
        var input = driver.CreateInputTopic<string, long>("cdn-bytes");
        var caps = driver.CreateOutputTopic<string, Decision>("cdn.caps", Serdes.Utf8, Serdes.Json<Decision>());

        input.PipeInput("cust", 60, T.At("2024-08-01T10:00:30Z"));
        input.PipeInput("cust", 60, T.At("2024-08-01T10:01:30Z"));
        input.PipeInput("cust", 60, T.At("2024-08-01T10:02:30Z"));

        var decisions = caps.ReadRecordsToList();
        // 10:01:30 pushes the 14 windows holding both of the first records over 100; 10:02:30 crosses [10:01, 10:16) (60 + 60) and [10:02, 10:17) stays at 60.
        Assert.Equal(15, decisions.Count);
        Assert.Equal(15, decisions.Select(d => d.Value.WindowStart).Distinct().Count());
        Assert.Equal(15, decisions.Select(d => d.Id).Distinct().Count());
        Assert.All(decisions, d => Assert.True(d.Value.Total > Limit));
    }

    [Fact]
    public void FurtherTrafficInACrossedWindow_YieldsNoMoreDecisions()
    {
        using var driver = new TopologyTestDriver(Build());
        var input = driver.CreateInputTopic<string, long>("cdn-bytes");
        var caps = driver.CreateOutputTopic<string, Decision>("cdn.caps", Serdes.Utf8, Serdes.Json<Decision>());
        input.PipeInput("cust", 200, T.At("2024-08-01T10:00:30Z"));
        Assert.Equal(15, caps.ReadRecordsToList().Count);

        input.PipeInput("cust", 200, T.At("2024-08-01T10:00:40Z"));

        Assert.True(caps.IsEmpty);
    }

    private sealed record CapState(long Total, bool Crossed, bool JustCrossed);

    private sealed record Decision(string Customer, DateTimeOffset WindowStart, DateTimeOffset WindowEnd, long Total);
}
