using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.SerDes;

namespace StreamBilling.Bench.Streamiz;

/// <summary>What both workloads share: the Streamiz configuration from the CLI's arguments and the measured wait.</summary>
public static class StreamizHarness
{
    /// <summary>At-least-once (the embedded cluster has no transactions), the CLI's commit interval, from the earliest offset.</summary>
    public static StreamConfig<TKeySerDes, TValueSerDes> Configure<TKeySerDes, TValueSerDes>(BenchArguments args)
        where TKeySerDes : ISerDes, new()
        where TValueSerDes : ISerDes, new() => new()
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

    /// <summary>
    /// Waits until <paramref name="processed"/> reaches <paramref name="records"/>, measuring time and process CPU from the
    /// first record (group join and store opening are not throughput), and prints the <c>result</c> line the CLI reads.
    /// </summary>
    public static async Task MeasureAsync(Func<long> processed, long records, string label)
    {
        using var process = Process.GetCurrentProcess();
        var watch = new Stopwatch();
        var cpuAtStart = TimeSpan.Zero;
        var lastReport = TimeSpan.Zero;
        var waiting = Stopwatch.StartNew();
        while (processed() < records)
        {
            if (!watch.IsRunning && processed() > 0)
            {
                process.Refresh();
                cpuAtStart = process.TotalProcessorTime;
                watch.Start();
            }

            if (waiting.Elapsed - lastReport >= TimeSpan.FromSeconds(5))
            {
                lastReport = waiting.Elapsed;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {label}: {processed():N0} / {records:N0} after {waiting.Elapsed.TotalSeconds:F0} s"));
            }

            await Task.Delay(TimeSpan.FromMilliseconds(10)).ConfigureAwait(false);
        }

        watch.Stop();
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuAtStart;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"result records={records} seconds={watch.Elapsed.TotalSeconds:F3} cpu-seconds={cpu.TotalSeconds:F3} peak-working-set-mib={process.PeakWorkingSet64 / (1024 * 1024)}"));

        // The count is taken before the aggregates of the same record: give the stream thread its last record.
        await Task.Delay(TimeSpan.FromMilliseconds(500)).ConfigureAwait(false);
    }
}
