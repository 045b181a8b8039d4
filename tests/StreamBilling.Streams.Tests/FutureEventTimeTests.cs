using Microsoft.Extensions.Time.Testing;
using StreamBilling.Streams.Testing;

namespace StreamBilling.Streams.Tests;

/// <summary>Records dated too far ahead of the wall clock go to the late-records topic and leave stream time alone.</summary>
public class FutureEventTimeTests
{
    private static readonly DateTimeOffset Now = T.At("2024-08-01T12:00:00Z");
    private static readonly ISerde<Windowed<string>> WindowedKeys = HourlySum.WindowedKeys;

    private static TopologyTestDriver Driver(Topology topology, TimeSpan? maxAhead) =>
        new(topology, new TopologyTestDriverOptions { TimeProvider = new FakeTimeProvider(Now), MaxEventTimeAhead = maxAhead });

    [Fact]
    public void RecordBeyondTheSkew_GoesToLateRecordsAsRead_AndClosesNoWindow()
    {
        using var driver = Driver(HourlySum.Build("future-late", EmitStrategy.OnWindowClose), TimeSpan.FromMinutes(5));
        var input = driver.CreateInputTopic<string, long>("usage");
        var output = driver.CreateOutputTopic("sums-out", WindowedKeys, Serdes.BigEndianInt64);
        var late = driver.CreateLateRecordsTopic();

        input.PipeInput("c", 5, T.At("2024-08-01T11:30:00Z"));
        input.PipeInput("c", 1000, T.At("2100-01-01T00:00:00Z"));
        input.PipeInput("c", 7, T.At("2024-08-01T11:45:00Z"));

        Assert.Equal(T.At("2024-08-01T11:45:00Z"), driver.StreamTime());
        Assert.True(output.IsEmpty, "the 11:00 window must still be open");
        var record = Assert.Single(late.ReadRecordsToList());
        var rejected = record.Value;
        Assert.Equal(("c", 1000L, T.At("2100-01-01T00:00:00Z")), (Serdes.Utf8.Deserialize(rejected.Key, default), rejected.ValueAs(Serdes.BigEndianInt64), rejected.Timestamp));
        Assert.Equal(
            "future-timestamp: 2100-01-01T00:00:00.0000000+00:00 is more than 00:05:00 ahead of wall clock 2024-08-01T12:00:00.0000000+00:00",
            rejected.Reason);
        Assert.Equal(("usage", 0, 1L, T.At("2024-08-01T11:30:00Z")), (rejected.SourceTopic, rejected.SourcePartition, rejected.SourceOffset, rejected.StreamTime));
        Assert.Equal("usage/0/1", record.Headers!.GetLastString(RecordHeaderNames.LateOrigin));
        Assert.Equal((32, record.Id), (rejected.Id.Length, rejected.Id));

        input.PipeInput("c", 1, T.At("2024-08-01T12:00:00Z"));
        Assert.Equal(12L, Assert.Single(output.ReadRecordsToList()).Value);
    }

    [Fact]
    public void RecordWithinTheSkew_IsProcessed()
    {
        using var driver = Driver(HourlySum.Build("future-within", EmitStrategy.OnWindowClose), TimeSpan.FromMinutes(5));
        var late = driver.CreateLateRecordsTopic();

        driver.CreateInputTopic<string, long>("usage").PipeInput("c", 5, Now.AddMinutes(5));

        Assert.Equal(Now.AddMinutes(5), driver.StreamTime());
        Assert.True(late.IsEmpty);
    }

    [Fact]
    public void Bound_FollowsTheWallClock()
    {
        using var driver = Driver(HourlySum.Build("future-clock", EmitStrategy.OnWindowClose), TimeSpan.FromMinutes(5));
        var input = driver.CreateInputTopic<string, long>("usage");
        var late = driver.CreateLateRecordsTopic();

        input.PipeInput("c", 1, Now.AddHours(1));
        driver.AdvanceWallClockTime(TimeSpan.FromHours(1));
        input.PipeInput("c", 2, Now.AddHours(1));

        Assert.Equal(1L, Assert.Single(late.ReadRecordsToList()).Value.ValueAs(Serdes.BigEndianInt64));
        Assert.Equal(Now.AddHours(1), driver.StreamTime());
    }

    [Fact]
    public void RecordBeyondTheSkew_FiresNoStreamTimePunctuator()
    {
        var fired = new List<DateTimeOffset>();
        var builder = new StreamsBuilder("future-punctuate");
        builder.Stream<string, long>("usage").Process<string, long>(() => new Punctuating(fired)).To("out");
        using var driver = Driver(builder.Build(), TimeSpan.FromMinutes(5));
        var input = driver.CreateInputTopic<string, long>("usage");

        input.PipeInput("c", 1, T.At("2024-08-01T11:10:00Z"));
        input.PipeInput("c", 2, T.At("2099-12-31T00:00:00Z"));

        Assert.Empty(fired);
        Assert.Equal(T.At("2024-08-01T11:10:00Z"), driver.StreamTime());
    }

    [Fact]
    public void WithoutABound_TheDriverProcessesRecordsFarAheadOfItsClock()
    {
        using var driver = new TopologyTestDriver(HourlySum.Build("future-unbounded", EmitStrategy.OnWindowClose));

        driver.CreateInputTopic<string, long>("usage").PipeInput("c", 1, T.At("2100-01-01T00:00:00Z"));

        Assert.Equal(T.At("2100-01-01T00:00:00Z"), driver.StreamTime());
    }

    [Fact]
    public void StreamTask_RejectsANegativeBound() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new StreamTask(
            HourlySum.Build("future-negative", EmitStrategy.OnWindowClose), new TaskId(0, 0), new StreamTaskOptions { Collector = new ListCollector(), MaxEventTimeAhead = TimeSpan.FromSeconds(-1) }));

    private sealed class Punctuating(List<DateTimeOffset> fired) : IProcessor<string, long>
    {
        private IProcessorContext _context = null!;

        public void Init(IProcessorContext context)
        {
            _context = context;
            context.Schedule(TimeSpan.FromHours(1), PunctuationType.StreamTime, fired.Add);
        }

        public void Process(Record<string, long> record) => _context.Forward(record);

        public void Close()
        {
        }
    }
}
