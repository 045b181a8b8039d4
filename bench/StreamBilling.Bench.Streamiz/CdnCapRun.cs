using System.Collections.Concurrent;
using System.Globalization;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.SerDes;
using Streamiz.Kafka.Net.Stream;
using Streamiz.Kafka.Net.Table;

namespace StreamBilling.Bench.Streamiz;

/// <summary>
/// <c>bench caps</c>' Streamiz side: the 100 GB / 15 min (advance 1 min) and 500 GB / 3 h (advance 5 min) CDN caps in
/// Streamiz's DSL, one <c>GroupByKey().WindowedBy(HoppingWindowOptions).Aggregate</c> per cap over the samples' usage
/// time (grace 5 min). Streamiz emits every update of a window; the updates whose sample made the window cross are
/// grouped into crossings with CdnCapWindows' rule (a window overlapping the cap's last crossed window extends that
/// crossing, any other starts a new decision) and printed as <c>decision customer capMinutes windowStartMs totalBytes eventId</c>.
/// </summary>
public static class CdnCapRun
{
    // The CLI creates the changelogs <applicationId>-<store>-changelog of these store names before the child starts.
    private static readonly (string Store, TimeSpan Window, TimeSpan Advance, long Limit)[] Caps =
    [
        ("cap-15m", TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(1), 100_000_000_000),
        ("cap-180m", TimeSpan.FromHours(3), TimeSpan.FromMinutes(5), 500_000_000_000),
    ];

    public static async Task<int> RunAsync(BenchArguments args)
    {
        var records = args.Number("records");
        var store = args.Text("store");
        var config = StreamizHarness.Configure<StringSerDes, StringSerDes>(args);

        long processed = 0;
        var crossings = new ConcurrentQueue<(string Customer, int Cap, long StartMs, long Total, string EventId)>();
        var builder = new StreamBuilder();
        var grouped = builder.Stream(args.Text("input"), new StringSerDes(), new StringSerDes(), new CdnSampleText())
            .Peek((_, _, _) => Interlocked.Increment(ref processed))
            .GroupByKey();
        for (var cap = 0; cap < Caps.Length; cap++)
        {
            var (storeName, window, advance, limit) = Caps[cap];
            var capIndex = cap;
            var materialized = store == "memory"
                ? InMemoryWindows.As<string, CapWindowTotal>(storeName)
                : RocksDbWindows.As<string, CapWindowTotal>(storeName);
            grouped.WindowedBy(HoppingWindowOptions.Of(window, advance, TimeSpan.FromMinutes(5)))
                .Aggregate(
                    () => CapWindowTotal.Empty,
                    (_, sample, total) =>
                    {
                        var (_, bytes, eventId) = CdnSampleText.Parse(sample);
                        return new CapWindowTotal(total.Total + bytes, bytes, eventId);
                    },
                    materialized.WithValueSerdes<CapWindowTotal.SerDes>())
                .ToStream()
                .Filter((_, total, _) => total.CrossedBy(limit))
                .Foreach((window, total, _) => crossings.Enqueue((window.Key, capIndex, window.Window.StartMs, total.Total, total.LastEventId)));
        }

        using var stream = new KafkaStream(builder.Build(), config);
        await stream.StartAsync().ConfigureAwait(false);
        await StreamizHarness.MeasureAsync(() => Interlocked.Read(ref processed), records, $"streamiz-{store} caps").ConfigureAwait(false);

        // One thread runs every task, so a customer's crossings are queued in its partition's order.
        var decidedUntil = new Dictionary<(string, int), long>();
        foreach (var (customer, cap, startMs, total, eventId) in crossings)
        {
            var end = startMs + (long)Caps[cap].Window.TotalMilliseconds;
            if (decidedUntil.TryGetValue((customer, cap), out var until) && startMs < until)
            {
                decidedUntil[(customer, cap)] = Math.Max(until, end);
                continue;
            }

            decidedUntil[(customer, cap)] = end;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"decision {customer} {(long)Caps[cap].Window.TotalMinutes} {startMs} {total} {eventId}"));
        }

        Console.WriteLine("done");
        return 0;
    }
}
