using StreamBilling.Streams.Testing;

namespace StreamBilling.Streams.Tests;

public class PunctuationTests
{
    private static Topology Build(string app, PunctuationType type, TimeSpan interval, List<DateTimeOffset> calls, Action<ICancellable>? onFire = null)
    {
        var builder = new StreamsBuilder(app);
        builder.Stream<string, long>("in")
            .Process<string, string>(() => new Ticker(type, interval, calls, onFire))
            .To("ticks");
        return builder.Build();
    }

    [Fact]
    public void StreamTime_FiresWhenStreamTimeCrossesAnIntervalBoundary()
    {
        var calls = new List<DateTimeOffset>();
        using var driver = new TopologyTestDriver(Build("punct-stream", PunctuationType.StreamTime, TimeSpan.FromHours(1), calls));
        var input = driver.CreateInputTopic<string, long>("in");

        input.PipeInput("k", 1, T.At("2024-08-01T10:15:00Z"));
        input.PipeInput("k", 1, T.At("2024-08-01T10:59:59Z"));
        Assert.Empty(calls);

        input.PipeInput("k", 1, T.At("2024-08-01T11:00:00Z"));
        Assert.Equal([T.At("2024-08-01T11:00:00Z")], calls);
    }

    [Fact]
    public void StreamTime_JumpOverSeveralIntervals_FiresOnce()
    {
        var calls = new List<DateTimeOffset>();
        using var driver = new TopologyTestDriver(Build("punct-jump", PunctuationType.StreamTime, TimeSpan.FromHours(1), calls));
        var input = driver.CreateInputTopic<string, long>("in");

        input.PipeInput("k", 1, T.At("2024-08-01T10:15:00Z"));
        input.PipeInput("k", 1, T.At("2024-08-01T15:30:00Z"));
        input.PipeInput("k", 1, T.At("2024-08-01T15:45:00Z"));

        Assert.Equal([T.At("2024-08-01T15:30:00Z")], calls);
    }

    [Fact]
    public void StreamTime_OutOfOrderRecord_DoesNotFire()
    {
        var calls = new List<DateTimeOffset>();
        using var driver = new TopologyTestDriver(Build("punct-ooo", PunctuationType.StreamTime, TimeSpan.FromHours(1), calls));
        var input = driver.CreateInputTopic<string, long>("in");

        input.PipeInput("k", 1, T.At("2024-08-01T10:15:00Z"));
        input.PipeInput("k", 1, T.At("2024-08-01T09:00:00Z"));

        Assert.Empty(calls);
        Assert.Equal(T.At("2024-08-01T10:15:00Z"), driver.StreamTime());
    }

    [Fact]
    public void WallClock_FiresAsTheDriverAdvancesTheClock()
    {
        var calls = new List<DateTimeOffset>();
        using var driver = new TopologyTestDriver(Build("punct-wall", PunctuationType.WallClockTime, T.Min(10), calls), new TopologyTestDriverOptions { InitialWallClockTime = T.At("2024-08-01T00:00:00Z") });

        driver.AdvanceWallClockTime(T.Min(9));
        Assert.Empty(calls);

        driver.AdvanceWallClockTime(T.Min(1));
        driver.AdvanceWallClockTime(T.Min(35));

        Assert.Equal([T.At("2024-08-01T00:10:00Z"), T.At("2024-08-01T00:45:00Z")], calls);
    }

    [Fact]
    public void WallClock_OutputsGetIdsAndGoThroughSinks()
    {
        var calls = new List<DateTimeOffset>();
        using var driver = new TopologyTestDriver(Build("punct-output", PunctuationType.WallClockTime, T.Min(1), calls));
        var output = driver.CreateOutputTopic<string, string>("ticks");

        driver.AdvanceWallClockTime(T.Min(1));

        var tick = Assert.Single(output.ReadRecordsToList());
        Assert.Equal("tick", tick.Key);
        Assert.Equal(32, tick.Id!.Length);
    }

    [Fact]
    public void Cancel_StopsFurtherCalls()
    {
        var calls = new List<DateTimeOffset>();
        using var driver = new TopologyTestDriver(Build("punct-cancel", PunctuationType.WallClockTime, T.Min(1), calls, handle => handle.Cancel()));

        driver.AdvanceWallClockTime(T.Min(1));
        driver.AdvanceWallClockTime(T.Min(1));

        Assert.Single(calls);
    }

    private sealed class Ticker(PunctuationType type, TimeSpan interval, List<DateTimeOffset> calls, Action<ICancellable>? onFire) : IProcessor<string, long>
    {
        private IProcessorContext _context = null!;
        private ICancellable? _handle;

        public void Init(IProcessorContext context)
        {
            _context = context;
            _handle = context.Schedule(interval, type, now =>
            {
                calls.Add(now);
                _context.Forward(new Record<string, string>("tick", now.ToString("O"), now));
                onFire?.Invoke(_handle!);
            });
        }

        public void Process(Record<string, long> record)
        {
        }

        public void Close()
        {
        }
    }
}
