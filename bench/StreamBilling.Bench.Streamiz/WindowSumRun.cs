using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
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
        var config = new StreamConfig<StringSerDes, BigEndianInt64SerDes>
        {
            ApplicationId = args.Text("application-id"),
            BootstrapServers = args.Text("bootstrap"),
            Guarantee = ProcessingGuarantee.AT_LEAST_ONCE,
            CommitIntervalMs = args.Number("commit-ms"),
            StateDir = args.Text("state-dir"),
            AutoOffsetReset = AutoOffsetReset.Earliest,

            // Streamiz logs every state transition at Information to the console; only problems are worth reading here.
            Logger = LoggerFactory.Create(logging => logging.SetMinimumLevel(LogLevel.Warning).AddConsole()),
        };

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
        using var process = Process.GetCurrentProcess();
        var watch = new Stopwatch();
        var cpuAtStart = TimeSpan.Zero;
        var lastReport = TimeSpan.Zero;
        var startedWaiting = Stopwatch.StartNew();
        while (Interlocked.Read(ref processed) < records)
        {
            if (!watch.IsRunning && Interlocked.Read(ref processed) > 0)
            {
                // Measured from the first record: group join and store opening are not throughput.
                process.Refresh();
                cpuAtStart = process.TotalProcessorTime;
                watch.Start();
            }

            if (startedWaiting.Elapsed - lastReport >= TimeSpan.FromSeconds(5))
            {
                lastReport = startedWaiting.Elapsed;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  streamiz-{store}: {Interlocked.Read(ref processed):N0} / {records:N0} after {startedWaiting.Elapsed.TotalSeconds:F0} s"));
            }

            await Task.Delay(TimeSpan.FromMilliseconds(10)).ConfigureAwait(false);
        }

        watch.Stop();
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuAtStart;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"result records={records} seconds={watch.Elapsed.TotalSeconds:F3} cpu-seconds={cpu.TotalSeconds:F3} peak-working-set-mib={process.PeakWorkingSet64 / (1024 * 1024)}"));

        // The count is taken before the aggregate of the same record: give the stream thread its last record.
        await Task.Delay(TimeSpan.FromMilliseconds(500)).ConfigureAwait(false);
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
