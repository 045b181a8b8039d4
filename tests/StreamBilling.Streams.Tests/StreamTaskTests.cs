using Microsoft.Extensions.Time.Testing;
using StreamBilling.Streams.Testing;

namespace StreamBilling.Streams.Tests;

/// <summary>Drives <see cref="StreamTask"/> directly, the way the Kafka binding will.</summary>
public class StreamTaskTests
{
    private static Topology HourlySum(string app, string? lateTopic = null)
    {
        var builder = new StreamsBuilder(app);
        if (lateTopic is not null)
        {
            builder.LateRecordsTopic = lateTopic;
        }

        builder.Stream<string, long>("usage")
            .GroupByKey()
            .WindowedBy(TimeWindows.OfSizeWithNoGrace(TimeSpan.FromHours(1)))
            .Aggregate(() => 0L, (_, v, sum) => sum + v, new WindowedAggregateOptions<long> { StoreName = "sums" })
            .To("sums-out", Serdes.Windowed(Serdes.Utf8), Serdes.BigEndianInt64);
        return builder.Build();
    }

    private static ConsumedRecord Usage(string key, long value, DateTimeOffset at, long offset) =>
        new("usage", 0, offset, at, Serdes.Utf8.Serialize(key, default), Serdes.BigEndianInt64.Serialize(value, default));

    [Fact]
    public void Process_SendsSerializedOutputWithIdToTheCollector()
    {
        var collector = new ListCollector();
        using var task = new StreamTask(HourlySum("task-direct"), new TaskId(0, 3), new StreamTaskOptions { Collector = collector });

        task.Process(Usage("c", 5, T.At("2024-08-01T10:00:00Z"), offset: 0));

        var produced = Assert.Single(collector.Records);
        Assert.Equal("sums-out", produced.Topic);
        Assert.Equal(new TaskId(0, 3), produced.TaskId);
        Assert.Equal(5, Serdes.BigEndianInt64.Deserialize(produced.Value, default));
        Assert.Equal(32, produced.Id.Length);
    }

    [Fact]
    public void ResumeStreamTime_MakesOldRecordsLateAfterAHandOver()
    {
        var collector = new ListCollector();
        using var task = new StreamTask(HourlySum("task-resume"), new TaskId(0, 0), new StreamTaskOptions { Collector = collector });
        task.ResumeStreamTime(T.At("2024-08-01T12:00:00Z"));

        task.Process(Usage("c", 5, T.At("2024-08-01T10:30:00Z"), offset: 7));

        Assert.Equal("task-resume-late-records", Assert.Single(collector.Records).Topic);
    }

    [Fact]
    public void LateRecordsTopic_CanBeConfigured()
    {
        var collector = new ListCollector();
        var topology = HourlySum("task-late-topic", lateTopic: "billing.late");
        using var task = new StreamTask(topology, new TaskId(0, 0), new StreamTaskOptions { Collector = collector });

        task.Process(Usage("c", 1, T.At("2024-08-01T12:00:00Z"), offset: 0));
        task.Process(Usage("c", 1, T.At("2024-08-01T10:00:00Z"), offset: 1));

        Assert.Equal("billing.late", collector.Records[^1].Topic);
        Assert.Contains("billing.late", topology.SinkTopics);
    }

    [Fact]
    public void Process_UnknownTopic_Throws()
    {
        using var task = new StreamTask(HourlySum("task-unknown"), new TaskId(0, 0), new StreamTaskOptions { Collector = new ListCollector() });

        Assert.Throws<ArgumentException>(() => task.Process(new ConsumedRecord("other", 0, 0, T.At("2024-08-01T10:00:00Z"), null, null)));
    }

    [Fact]
    public void Flush_WritesChangelogForTheTaskPartition()
    {
        var changelog = new ListChangelog();
        using var task = new StreamTask(HourlySum("task-changelog"), new TaskId(0, 2), new StreamTaskOptions { Collector = new ListCollector(), ChangelogWriter = changelog });
        task.Process(Usage("c", 1, T.At("2024-08-01T10:00:00Z"), offset: 0));
        task.Process(Usage("c", 2, T.At("2024-08-01T10:01:00Z"), offset: 1));

        task.Flush();

        var record = Assert.Single(changelog.Records);
        Assert.Equal("task-changelog-sums-changelog", record.Topic);
        Assert.Equal(2, record.Partition);
        Assert.Equal(3, Serdes.BigEndianInt64.Deserialize(record.Value, default));
    }

    [Fact]
    public void Context_ExposesMetadataOfTheCurrentRecord()
    {
        RecordMetadata? seen = null;
        var builder = new StreamsBuilder("task-metadata");
        builder.Stream<string, long>("usage").Process<string, long>(() => new Inspect(ctx => seen = ctx.RecordMetadata));
        var headers = new Headers();
        headers.Add("source", "cloudwatch");
        using var task = new StreamTask(builder.Build(), new TaskId(0, 1), new StreamTaskOptions { Collector = new ListCollector() });

        task.Process(Usage("c", 1, T.At("2024-08-01T10:00:00Z"), offset: 42) with { Partition = 1, Headers = headers });

        Assert.Equal(new RecordMetadata("usage", 1, 42, T.At("2024-08-01T10:00:00Z"), headers), seen);
    }

    [Fact]
    public void GetStateStore_NotConnected_Throws()
    {
        var builder = new StreamsBuilder("task-unconnected");
        builder.AddStateStore(Stores.InMemoryKeyValue<string, long>("private"));
        builder.AddStateStore(Stores.InMemoryKeyValue<string, long>("other"));
        builder.Stream<string, long>("usage").Process<string, long>(() => new Inspect(ctx => ctx.GetStateStore<IKeyValueStore<string, long>>("private")), ["other"]);
        using var driver = new TopologyTestDriver(builder.Build());

        Assert.Throws<InvalidOperationException>(() => driver.CreateInputTopic<string, long>("usage").PipeInput("c", 1, T.At("2024-08-01T10:00:00Z")));
    }

    [Fact]
    public void WallClockPunctuation_UsesTheInjectedTimeProvider()
    {
        var clock = new FakeTimeProvider(T.At("2024-08-01T00:00:00Z"));
        var fired = new List<DateTimeOffset>();
        var builder = new StreamsBuilder("task-clock");
        builder.Stream<string, long>("usage").Process<string, long>(() => new Scheduler(fired));
        using var task = new StreamTask(builder.Build(), new TaskId(0, 0), new StreamTaskOptions { Collector = new ListCollector(), TimeProvider = clock });
        task.Initialize();

        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(0, task.PunctuateWallClock());
        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(1, task.PunctuateWallClock());
        Assert.Equal([T.At("2024-08-01T00:01:00Z")], fired);
    }

    private sealed class ListChangelog : IChangelogWriter
    {
        public List<ChangelogRecord> Records { get; } = [];

        public void Write(in ChangelogRecord record) => Records.Add(record);
    }

    private sealed class Inspect(Action<IProcessorContext> inspect) : IProcessor<string, long>
    {
        private IProcessorContext _context = null!;

        public void Init(IProcessorContext context) => _context = context;

        public void Process(Record<string, long> record) => inspect(_context);

        public void Close()
        {
        }
    }

    private sealed class Scheduler(List<DateTimeOffset> fired) : IProcessor<string, long>
    {
        public void Init(IProcessorContext context) => context.Schedule(TimeSpan.FromMinutes(1), PunctuationType.WallClockTime, fired.Add);

        public void Process(Record<string, long> record)
        {
        }

        public void Close()
        {
        }
    }
}
