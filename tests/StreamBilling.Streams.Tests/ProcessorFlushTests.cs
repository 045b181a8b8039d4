namespace StreamBilling.Streams.Tests;

/// <summary>Processors that coalesce updates emit them on the task's flush, once per key per commit.</summary>
public class ProcessorFlushTests
{
    private static Topology Build(bool withIds)
    {
        var builder = new StreamsBuilder("flush-app");
        builder.AddStateStore(Stores.InMemoryKeyValue<string, long>("totals"));
        builder.Stream("usage", Serdes.Utf8, Serdes.BigEndianInt64)
            .Process<string, long>(() => new CoalescingTotal(withIds), ["totals"])
            .To("totals-out", Serdes.Utf8, Serdes.BigEndianInt64);
        return builder.Build();
    }

    private static ConsumedRecord Usage(string key, long value, long offset) =>
        new("usage", 0, offset, T.At("2024-08-01T10:00:00Z").AddSeconds(offset), Serdes.Utf8.Serialize(key, default), Serdes.BigEndianInt64.Serialize(value, default));

    [Fact]
    public void Flush_EmitsOneCoalescedRecordPerChangedKey()
    {
        var collector = new ListCollector();
        using var task = new StreamTask(Build(withIds: true), new TaskId(0, 0), new StreamTaskOptions { Collector = collector });
        task.Process(Usage("a", 1, 0));
        task.Process(Usage("a", 2, 1));
        task.Process(Usage("b", 5, 2));
        Assert.Empty(collector.Records);

        task.Flush();

        var totals = collector.Records.ToDictionary(r => Serdes.Utf8.Deserialize(r.Key, default), r => Serdes.BigEndianInt64.Deserialize(r.Value, default));
        Assert.Equal(new Dictionary<string, long> { ["a"] = 3, ["b"] = 5 }, totals);

        task.Flush();
        Assert.Equal(2, collector.Records.Count);
    }

    [Fact]
    public void Flush_RejectsARecordWithoutAnId()
    {
        using var task = new StreamTask(Build(withIds: false), new TaskId(0, 0), new StreamTaskOptions { Collector = new ListCollector() });
        task.Process(Usage("a", 1, 0));

        Assert.Throws<InvalidOperationException>(task.Flush);
    }

    /// <summary>Keeps a running total per key and forwards each changed total once per flush.</summary>
    private sealed class CoalescingTotal(bool withIds) : IProcessor<string, long>
    {
        private readonly HashSet<string> _changed = [];
        private IProcessorContext _context = null!;
        private IKeyValueStore<string, long> _totals = null!;

        public void Init(IProcessorContext context)
        {
            _context = context;
            _totals = context.GetStateStore<IKeyValueStore<string, long>>("totals");
        }

        public void Process(Record<string, long> record)
        {
            _totals.Put(record.Key, (_totals.TryGet(record.Key, out var total) ? total : 0) + record.Value);
            _changed.Add(record.Key);
        }

        public void Flush()
        {
            foreach (var key in _changed)
            {
                _totals.TryGet(key, out var total);
                _context.Forward(new Record<string, long>(key, total, _context.StreamTime) { Id = withIds ? $"total/{key}" : null });
            }

            _changed.Clear();
        }

        public void Close()
        {
        }
    }
}
