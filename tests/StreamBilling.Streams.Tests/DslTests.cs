using StreamBilling.Streams.Testing;

namespace StreamBilling.Streams.Tests;

public class DslTests
{
    private static readonly DateTimeOffset Now = T.At("2024-08-01T00:00:00Z");

    [Fact]
    public void FilterMapValues_TransformAndDrop()
    {
        var builder = new StreamsBuilder("dsl-filter");
        builder.Stream<string, long>("in-filter").Filter((_, v) => v > 10).MapValues(v => $"v={v}").To("out-filter");
        using var driver = new TopologyTestDriver(builder.Build());
        var input = driver.CreateInputTopic<string, long>("in-filter");
        var output = driver.CreateOutputTopic<string, string>("out-filter");

        input.PipeInput("a", 5, Now);
        input.PipeInput("b", 50, Now);

        Assert.Equal([new KeyValuePair<string, string>("b", "v=50")], output.ReadKeyValuesToList());
    }

    [Fact]
    public void FlatMapSelectKey_ProduceOneOutputPerItemWithNewKeys()
    {
        var builder = new StreamsBuilder("dsl-flatmap");
        builder.Stream<string, string>("in-flat")
            .FlatMap((k, v) => v.Split(',').Select(part => (part, k)))
            .SelectKey((k, v) => $"{v}:{k}")
            .To("out-flat");
        using var driver = new TopologyTestDriver(builder.Build());
        var input = driver.CreateInputTopic<string, string>("in-flat");
        var output = driver.CreateOutputTopic<string, string>("out-flat");

        input.PipeInput("src", "x,y", Now);

        Assert.Equal(["src:x", "src:y"], output.ReadKeyValuesToList().Select(kv => kv.Key));
    }

    [Fact]
    public void Map_ChangesKeyAndValueTypes()
    {
        var builder = new StreamsBuilder("dsl-map");
        builder.Stream<string, string>("in-map").Map((k, v) => (v.Length, k)).To("out-map", Serdes.BigEndianInt32, Serdes.Utf8);
        using var driver = new TopologyTestDriver(builder.Build());
        var input = driver.CreateInputTopic<string, string>("in-map");
        var output = driver.CreateOutputTopic<int, string>("out-map");

        input.PipeInput("k", "four", Now);

        Assert.Equal(new KeyValuePair<int, string>(4, "k"), output.ReadKeyValue());
    }

    [Fact]
    public void Branch_SendsEachRecordToFirstMatchingBranchOnly()
    {
        var builder = new StreamsBuilder("dsl-branch");
        var branches = builder.Stream<string, long>("in-branch").Branch((_, v) => v > 100, (_, v) => v > 10);
        branches[0].To("out-big");
        branches[1].To("out-medium");
        using var driver = new TopologyTestDriver(builder.Build());
        var input = driver.CreateInputTopic<string, long>("in-branch");
        var big = driver.CreateOutputTopic<string, long>("out-big");
        var medium = driver.CreateOutputTopic<string, long>("out-medium");

        input.PipeInput("a", 500, Now);
        input.PipeInput("b", 50, Now);
        input.PipeInput("c", 5, Now);

        Assert.Equal(["a"], big.ReadKeyValuesToList().Select(kv => kv.Key));
        Assert.Equal(["b"], medium.ReadKeyValuesToList().Select(kv => kv.Key));
    }

    [Fact]
    public void Merge_CombinesTwoSources()
    {
        var builder = new StreamsBuilder("dsl-merge");
        builder.Stream<string, long>("in-merge-a").Merge(builder.Stream<string, long>("in-merge-b")).To("out-merge");
        using var driver = new TopologyTestDriver(builder.Build());
        var output = driver.CreateOutputTopic<string, long>("out-merge");

        driver.CreateInputTopic<string, long>("in-merge-a").PipeInput("a", 1, Now);
        driver.CreateInputTopic<string, long>("in-merge-b").PipeInput("b", 2, Now);

        Assert.Equal(["a", "b"], output.ReadKeyValuesToList().Select(kv => kv.Key));
    }

    [Fact]
    public void Repartition_ExplicitTopic_RecordsFlowThroughAndDownstreamIsAnotherSubTopology()
    {
        var builder = new StreamsBuilder("dsl-through");
        builder.Stream<string, long>("in-through").SelectKey((_, v) => $"k{v}").Repartition("through-topic").MapValues(v => v * 2).To("out-through");
        var topology = builder.Build();
        using var driver = new TopologyTestDriver(topology);
        var output = driver.CreateOutputTopic<string, long>("out-through");

        driver.CreateInputTopic<string, long>("in-through").PipeInput("x", 21, Now);

        Assert.Equal(new KeyValuePair<string, long>("k21", 42), output.ReadKeyValue());
        Assert.Equal(2, topology.SubTopologies.Count);
        Assert.Contains("through-topic", topology.RepartitionTopics);
    }

    [Fact]
    public void Peek_SeesEveryRecordAndPassesItOn()
    {
        var seen = new List<string>();
        var builder = new StreamsBuilder("dsl-peek");
        builder.Stream<string, long>("in-peek").Peek((k, _) => seen.Add(k)).To("out-peek");
        using var driver = new TopologyTestDriver(builder.Build());
        var output = driver.CreateOutputTopic<string, long>("out-peek");

        driver.CreateInputTopic<string, long>("in-peek").PipeInput("p", 1, Now);

        Assert.Equal(["p"], seen);
        Assert.Equal(1, output.QueueSize);
    }

    [Fact]
    public void Topology_ListsTopicsStoresAndChangelogs()
    {
        var builder = new StreamsBuilder("billing");
        builder.Stream<string, long>("usage")
            .GroupByKey()
            .WindowedBy(TimeWindows.OfSizeWithNoGrace(TimeSpan.FromHours(1)))
            .Aggregate(() => 0L, (_, v, sum) => sum + v, new WindowedAggregateOptions<long> { StoreName = "hourly", EmitStrategy = EmitStrategy.OnWindowClose })
            .To("rollups", Serdes.Windowed(Serdes.Utf8), Serdes.BigEndianInt64);

        var topology = builder.Build();

        Assert.Equal(["usage"], topology.SourceTopics);
        Assert.Equal(["rollups", "billing-late-records"], topology.SinkTopics);
        Assert.Equal("billing-hourly-changelog", topology.ChangelogTopicFor("hourly"));
        Assert.Contains(topology.Stores, s => s.Name == "hourly-emitted" && s.ChangelogTopic == "billing-hourly-emitted-changelog");
        Assert.Contains("hourly", topology.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void GroupByKey_AfterKeyChange_InsertsInternalRepartitionTopic()
    {
        var builder = new StreamsBuilder("dsl-autorepartition");
        builder.Stream<string, long>("in-auto")
            .SelectKey((_, v) => v % 2 == 0 ? "even" : "odd")
            .GroupByKey()
            .WindowedBy(TimeWindows.OfSizeWithNoGrace(TimeSpan.FromHours(1)))
            .Count(new WindowedAggregateOptions<long> { StoreName = "parity" })
            .To("out-auto", Serdes.Windowed(Serdes.Utf8), Serdes.BigEndianInt64);
        var topology = builder.Build();
        using var driver = new TopologyTestDriver(topology);
        var input = driver.CreateInputTopic<string, long>("in-auto");
        var output = driver.CreateOutputTopic<Windowed<string>, long>("out-auto", Serdes.Windowed(Serdes.Utf8), Serdes.BigEndianInt64);

        input.PipeInput("a", 2, Now);
        input.PipeInput("b", 4, Now);

        Assert.Single(topology.RepartitionTopics);
        Assert.StartsWith("dsl-autorepartition-", topology.RepartitionTopics[0], StringComparison.Ordinal);
        Assert.Equal([1L, 2L], output.ReadRecordsToList().Select(r => r.Value));
    }

    [Fact]
    public void Build_UnknownStore_Fails()
    {
        var builder = new StreamsBuilder("dsl-missing-store");
        builder.Stream<string, long>("in-missing").Process<string, long>(() => new PassThrough(), ["nope"]);

        Assert.Throws<InvalidOperationException>(builder.Build);
    }

    [Fact]
    public void Stream_SameTopicTwice_Fails()
    {
        var builder = new StreamsBuilder("dsl-twice");
        builder.Stream<string, long>("in-twice");

        Assert.Throws<InvalidOperationException>(() => builder.Stream<string, long>("in-twice"));
    }

    private sealed class PassThrough : IProcessor<string, long>
    {
        private IProcessorContext _context = null!;

        public void Init(IProcessorContext context) => _context = context;

        public void Process(Record<string, long> record) => _context.Forward(record);

        public void Close()
        {
        }
    }
}
