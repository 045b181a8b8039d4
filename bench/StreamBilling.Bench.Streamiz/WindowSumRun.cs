using System.Globalization;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.SerDes;
using Streamiz.Kafka.Net.State;
using Streamiz.Kafka.Net.Stream;
using Streamiz.Kafka.Net.Table;

namespace StreamBilling.Bench.Streamiz;

/// <summary>
/// <c>bench runtime --engine streamiz</c>'s workload on Streamiz: the pre-produced input summed per key in 15-minute
/// windows advancing 1 minute (<c>GroupByKey().WindowedBy(HoppingWindowOptions).Aggregate</c>), every update written to
/// the output topic. Prints the rate and CPU, then the sample keys' windows read back from the store (an interactive
/// query) for the CLI to compare with its direct computation.
/// </summary>
public static class WindowSumRun
{
    public static async Task<int> RunAsync(BenchArguments args)
    {
        var records = args.Number("records");
        var store = args.Text("store");
        var storeName = args.Text("store-name");
        var config = StreamizHarness.Configure<StringSerDes, BigEndianInt64SerDes>(args);

        long processed = 0;
        var builder = new StreamBuilder();
        var windows = HoppingWindowOptions.Of(TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(1));
        var materialized = store switch
        {
            "rocksdb" => RocksDbWindows.As<string, long>(storeName),
            "memory" => InMemoryWindows.As<string, long>(storeName),
            _ => throw new ArgumentException($"--store must be rocksdb or memory, not '{store}'."),
        };
        builder.Stream<string, long>(args.Text("input"))
            .Peek((_, _, _) => Interlocked.Increment(ref processed))
            .GroupByKey()
            .WindowedBy(windows)
            .Aggregate(() => 0L, (_, bytes, total) => total + bytes, materialized.WithValueSerdes<Int64SerDes>())
            .ToStream((window, _, _) => window.Key)
            .To<StringSerDes, Int64SerDes>(args.Text("output"));

        using var stream = new KafkaStream(builder.Build(), config);
        await stream.StartAsync().ConfigureAwait(false);
        await StreamizHarness.MeasureAsync(() => Interlocked.Read(ref processed), records, $"streamiz-{store}").ConfigureAwait(false);
        var windowStore = stream.Store(StoreQueryParameters.FromNameAndType(storeName, QueryableStoreTypes.WindowStore<string, long>()));
        var from = args.Number("from-ms");
        var to = args.Number("to-ms");
        foreach (var key in args.List("sample-keys"))
        {
            using var found = windowStore.Fetch(key, from, to);
            while (found.MoveNext())
            {
                var entry = found.Current!.Value;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"window {key} {entry.Key} {entry.Value}"));
            }
        }

        Console.WriteLine("done");
        return 0;
    }
}
