using System.Buffers.Binary;
using Confluent.Kafka;
using StreamBilling.Streams;
using StreamBilling.Streams.Kafka;

namespace StreamBilling.IntegrationTests.Streams;

/// <summary>
/// A small stateful stream application for runtime tests: per-key sums in 1-minute tumbling windows, emitted on every
/// update to an output topic keyed <c>key@windowStart</c>; plus the input generator and the expected final sums.
/// </summary>
internal sealed class WindowedSumApp
{
    public static readonly DateTimeOffset Start = new(2024, 8, 1, 10, 0, 0, TimeSpan.Zero);

    private readonly KafkaFixture _kafka;

    private WindowedSumApp(KafkaFixture kafka, string input, string output, bool persistent)
    {
        _kafka = kafka;
        Input = input;
        Output = output;
        var builder = new StreamsBuilder(KafkaFixture.NewGroupId("sum-app"));
        builder.Stream(input, Serdes.Utf8, Serdes.BigEndianInt64)
            .GroupByKey()
            // A day of grace: these tests are about state and offsets, not lateness.
            .WindowedBy(TimeWindows.OfSizeWithGrace(TimeSpan.FromMinutes(1), TimeSpan.FromDays(1)))
            .Aggregate(() => 0L, (_, value, sum) => sum + value, new WindowedAggregateOptions<long>
            {
                StoreName = "sums",
                AggregateSerde = Serdes.BigEndianInt64,
                Persistent = persistent,
            })
            .SelectKey((window, _) => $"{window.Key}@{window.Start:O}")
            .To(output, Serdes.Utf8, Serdes.BigEndianInt64);
        Topology = builder.Build();
    }

    public string Input { get; }

    public string Output { get; }

    public Topology Topology { get; }

    public string ChangelogTopic => Topology.ChangelogTopicFor("sums")!;

    public static async Task<WindowedSumApp> CreateAsync(KafkaFixture kafka, string purpose, bool persistent = false) =>
        new(kafka, await kafka.CreateTopicAsync(purpose + "-in", 4), await kafka.CreateTopicAsync(purpose + "-out", 4), persistent);

    public KafkaStreams NewInstance(KafkaStreamsOptions? options = null, ICrashPoints? crashPoints = null) =>
        new(Topology, _kafka.Clients, _kafka.Provisioner, options ?? new KafkaStreamsOptions { CommitInterval = TimeSpan.FromMilliseconds(200) }, null, crashPoints ?? NoCrashPoints.Instance);

    /// <summary>Records <paramref name="from"/>..<paramref name="to"/>-1: key <c>k{i % keys}</c>, value i, one second apart.</summary>
    public static IEnumerable<(string Key, long Value, DateTimeOffset Time)> Records(int from, int to, int keys = 40) =>
        Enumerable.Range(from, to - from).Select(i => ($"k{i % keys}", (long)i, Start.AddSeconds(i)));

    public async Task ProduceAsync(IEnumerable<(string Key, long Value, DateTimeOffset Time)> records)
    {
        using var producer = _kafka.Clients.CreateProducer(Serializers.Utf8, Serializers.ByteArray);
        foreach (var (key, value, time) in records)
        {
            var bytes = new byte[8];
            BinaryPrimitives.WriteInt64BigEndian(bytes, value);
            producer.Produce(Input, new Message<string, byte[]> { Key = key, Value = bytes, Timestamp = new Timestamp(time) });
        }

        await Task.Run(() => producer.Flush(TimeSpan.FromSeconds(30)), TestContext.Current.CancellationToken);
    }

    /// <summary>Final sum per <c>key@windowStart</c> computed directly from the input: what an uninterrupted run ends with.</summary>
    public static Dictionary<string, long> ExpectedSums(IEnumerable<(string Key, long Value, DateTimeOffset Time)> records) =>
        records
            .GroupBy(r => $"{r.Key}@{r.Time.AddTicks(-(r.Time.UtcTicks % TimeSpan.TicksPerMinute)):O}")
            .ToDictionary(g => g.Key, g => g.Sum(r => r.Value), StringComparer.Ordinal);

    /// <summary>Reads the output topic from the start until <paramref name="until"/> holds for the latest value per <c>sb-id</c>.</summary>
    public async Task<OutputView> ReadOutputAsync(Func<OutputView, bool> until, IsolationLevel isolation = IsolationLevel.ReadUncommitted, TimeSpan? timeout = null)
    {
        using var consumer = _kafka.Clients.CreateConsumer(KafkaFixture.NewGroupId("sum-reader"), Deserializers.Utf8, Deserializers.ByteArray, new StreamBilling.Kafka.KafkaConsumerOptions
        {
            WhenNoCommittedOffset = StreamBilling.Kafka.MissingOffsetPolicy.Earliest,
            Configure = config => config.IsolationLevel = isolation,
        });
        consumer.Subscribe(Output);
        var view = new OutputView();
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        await Task.Run(
            () =>
            {
                while (!until(view))
                {
                    Assert.True(DateTimeOffset.UtcNow < deadline, $"Output incomplete after {view.Records} records ({view.LatestById.Count} ids).");
                    var result = consumer.Consume(TimeSpan.FromMilliseconds(100));
                    if (result?.Message is { } message)
                    {
                        var id = message.Headers.TryGetLastBytes(RecordHeaderNames.Id, out var raw) ? System.Text.Encoding.UTF8.GetString(raw) : string.Empty;
                        view.Add(id, message.Key, BinaryPrimitives.ReadInt64BigEndian(message.Value));
                    }
                }
            },
            TestContext.Current.CancellationToken);
        consumer.Close();
        return view;
    }

    /// <summary>Reads everything the output topic holds now (up to its current high watermarks).</summary>
    public async Task<OutputView> ReadAllOutputAsync()
    {
        long end = 0;
        using (var probe = _kafka.Clients.CreateRawConsumer(KafkaFixture.NewGroupId("sum-probe")))
        {
            for (var partition = 0; partition < 4; partition++)
            {
                end += probe.QueryWatermarkOffsets(new TopicPartition(Output, partition), TimeSpan.FromSeconds(10)).High.Value;
            }
        }

        return await ReadOutputAsync(view => view.Records >= end);
    }

    /// <summary>What a sink that upserts by <c>sb-id</c> ends with, plus the raw record count.</summary>
    internal sealed class OutputView
    {
        public int Records { get; private set; }

        public Dictionary<string, (string Key, long Sum)> LatestById { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, long> SumsByKey => LatestById.Values.ToDictionary(v => v.Key, v => v.Sum, StringComparer.Ordinal);

        public void Add(string id, string key, long sum)
        {
            Records++;
            LatestById[id] = (key, sum);
        }

        public bool Matches(Dictionary<string, long> expected) =>
            LatestById.Count == expected.Count && expected.All(e => SumsByKey.TryGetValue(e.Key, out var sum) && sum == e.Value);
    }
}
