using StreamBilling.Streams.Testing;

namespace StreamBilling.Streams.Tests;

public class DeterministicIdTests
{
    private static Topology FanOut(string app)
    {
        var builder = new StreamsBuilder(app);
        var stream = builder.Stream<string, string>("orders");
        stream.FlatMapValues((_, v) => v.Split(',')).To("items");
        stream.MapValues(v => v.Length).To("sizes", Serdes.Utf8, Serdes.BigEndianInt32);
        return builder.Build();
    }

    private static List<string?> Run(string app, Action<TestInputTopic<string, string>> pipe)
    {
        using var driver = new TopologyTestDriver(FanOut(app));
        pipe(driver.CreateInputTopic<string, string>("orders"));
        return [.. driver.CreateOutputTopic<string, string>("items").ReadRecordsToList().Select(r => r.Id),
            .. driver.CreateOutputTopic<string, int>("sizes").ReadRecordsToList().Select(r => r.Id)];
    }

    [Fact]
    public void Ids_AreStableAcrossRuns()
    {
        static void Pipe(TestInputTopic<string, string> input)
        {
            input.PipeInput("o1", "a,b,c", T.At("2024-08-01T10:00:00Z"));
            input.PipeInput("o2", "d", T.At("2024-08-01T10:01:00Z"));
        }

        Assert.Equal(Run("ids-app", Pipe), Run("ids-app", Pipe));
    }

    [Fact]
    public void Ids_AreUniquePerOutput()
    {
        var ids = Run("ids-unique", input =>
        {
            input.PipeInput("o1", "a,b,c", T.At("2024-08-01T10:00:00Z"));
            input.PipeInput("o2", "d", T.At("2024-08-01T10:01:00Z"));
        });

        Assert.Equal(6, ids.Count);
        Assert.Equal(6, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Equal(32, id!.Length));
    }

    [Fact]
    public void Ids_DifferBetweenApplications()
    {
        static void Pipe(TestInputTopic<string, string> input) => input.PipeInput("o1", "a", T.At("2024-08-01T10:00:00Z"));

        Assert.NotEqual(Run("ids-one", Pipe), Run("ids-two", Pipe));
    }

    [Fact]
    public void UpstreamId_ReplacesOffsetSoARedeliveredDuplicateGetsTheSameOutputIds()
    {
        var headers = new Headers();
        headers.Add(RecordHeaderNames.Id, "upstream-event-1");

        var ids = Run("ids-upstream", input =>
        {
            input.PipeInput("o1", "a", T.At("2024-08-01T10:00:00Z"), headers);
            input.PipeInput("o1", "a", T.At("2024-08-01T10:00:00Z"), headers);
        });

        Assert.Equal(ids[0], ids[1]);
        Assert.NotEqual("upstream-event-1", ids[0]);
    }

    [Fact]
    public void ExplicitRecordId_IsKept()
    {
        var builder = new StreamsBuilder("ids-explicit");
        builder.Stream<string, string>("orders").Process<string, string>(() => new WithId()).To("out");
        using var driver = new TopologyTestDriver(builder.Build());

        driver.CreateInputTopic<string, string>("orders").PipeInput("k", "v", T.At("2024-08-01T10:00:00Z"));

        Assert.Equal("invoice-2024-08", driver.CreateOutputTopic<string, string>("out").ReadRecord().Id);
    }

    [Fact]
    public void FromParts_IsLengthPrefixed() =>
        Assert.NotEqual(DeterministicId.FromParts("ab", "c"), DeterministicId.FromParts("a", "bc"));

    private sealed class WithId : IProcessor<string, string>
    {
        private IProcessorContext _context = null!;

        public void Init(IProcessorContext context) => _context = context;

        public void Process(Record<string, string> record) => _context.Forward(record with { Id = "invoice-2024-08" });

        public void Close()
        {
        }
    }
}
