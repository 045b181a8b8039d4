using System.Buffers.Binary;
using System.CommandLine;
using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StreamBilling.Contracts;
using StreamBilling.Kafka;
using StreamBilling.Streams;
using StreamBilling.Streams.Kafka;

namespace StreamBilling.Cli.Commands;

/// <summary>
/// <c>streambilling bench runtime</c>: a hopping-window sum through the stream runtime and, in the same run on the same
/// embedded cluster, a raw consume→produce passthrough over the same records; prints both rates and their ratio.
/// </summary>
internal sealed class RuntimeBench : IBenchCommand
{
    // ~30 bytes per record on the wire: 400k in flight stay far below 8 × 5 MB.
    private const int MaxUnprocessed = 400_000;
    private static readonly DateTimeOffset EventStart = new(2024, 8, 1, 0, 0, 0, TimeSpan.Zero);

    public Command Create()
    {
        var records = new Option<int>("--records") { Description = "Records per phase.", DefaultValueFactory = _ => 2_000_000 };
        var keys = new Option<int>("--keys") { Description = "Distinct keys (customers).", DefaultValueFactory = _ => 100_000 };
        var perMinute = new Option<int>("--per-event-minute") { Description = "Records per minute of event time (sets how many windows close during the run).", DefaultValueFactory = _ => 200_000 };
        var partitions = new Option<int>("--partitions") { Description = "Partitions of the input topics.", DefaultValueFactory = _ => 8 };
        var commit = new Option<int>("--commit-ms") { Description = "Runtime commit interval in milliseconds.", DefaultValueFactory = _ => 1_000 };
        var command = new Command("runtime", "Stream runtime (15-minute windows advancing 1 minute, summed per key) vs a raw passthrough on the embedded cluster.")
        {
            records, keys, perMinute, partitions, commit,
        };
        command.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var settings = new Settings(pr.GetValue(records), pr.GetValue(keys), pr.GetValue(perMinute), pr.GetValue(partitions), TimeSpan.FromMilliseconds(pr.GetValue(commit)));
            await RunAsync(settings, ct).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static async Task RunAsync(Settings settings, CancellationToken cancellationToken)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Kafka:BootstrapServers"] = null });
        builder.AddStreamBillingKafka();
        using var host = builder.Build();
        await host.StartAsync(cancellationToken).ConfigureAwait(false);
        var clients = host.Services.GetRequiredService<KafkaClientFactory>();
        var provisioner = host.Services.GetRequiredService<ITopicProvisioner>();
        var keyNames = Enumerable.Range(0, settings.Keys).Select(i => $"customer-{i:D6}").ToArray();
        Console.WriteLine($"{settings.Records:N0} records per phase, {settings.Keys:N0} keys, {settings.PerEventMinute:N0} records per event-minute, {settings.Partitions} partitions, embedded cluster {clients.Cluster.BootstrapServers}");

        var runtimeRate = await RunRuntimeAsync(settings, clients, provisioner, keyNames, cancellationToken).ConfigureAwait(false);
        var passthroughRate = await RunPassthroughAsync(settings, clients, provisioner, keyNames, cancellationToken).ConfigureAwait(false);

        using var process = Process.GetCurrentProcess();
        Console.WriteLine($"peak working set {process.PeakWorkingSet64 / (1024 * 1024):N0} MiB, managed heap now {GC.GetTotalMemory(false) / (1024 * 1024):N0} MiB");
        Console.WriteLine($"runtime {runtimeRate:F0} rec/s, passthrough {passthroughRate:F0} rec/s, ratio {runtimeRate / passthroughRate:F2}");
        await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private static async Task<double> RunRuntimeAsync(Settings settings, KafkaClientFactory clients, ITopicProvisioner provisioner, string[] keyNames, CancellationToken cancellationToken)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var input = $"bench.runtime.{run}.in";
        var output = $"bench.runtime.{run}.out";
        await provisioner.EnsureTopicsAsync([new TopicSpec(input, settings.Partitions), new TopicSpec(output, settings.Partitions)], cancellationToken).ConfigureAwait(false);

        var streamsBuilder = new StreamsBuilder($"bench-runtime-{run}");
        streamsBuilder.Stream(input, Serdes.Utf8, Serdes.BigEndianInt64)
            .GroupByKey()
            .WindowedBy(TimeWindows.Hopping(TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(1), TimeSpan.Zero))
            .Aggregate(() => 0L, (_, bytes, total) => total + bytes, (_, earlier, later) => earlier + later, new WindowedAggregateOptions<long>
            {
                StoreName = "cdn-bytes-15m",
                AggregateSerde = Serdes.BigEndianInt64,
                EmitStrategy = EmitStrategy.OnWindowClose,
            })
            .SelectKey((window, _) => window.Key)
            .To(output, Serdes.Utf8, Serdes.BigEndianInt64);
        var topology = streamsBuilder.Build();

        await using var streams = new KafkaStreams(topology, clients, provisioner, new KafkaStreamsOptions { CommitInterval = settings.CommitInterval });
        await streams.StartAsync(cancellationToken).ConfigureAwait(false);
        var watch = Stopwatch.StartNew();
        var produce = Task.Run(() => ProduceAsync(settings, clients, input, () => streams.ProcessedRecords, keyNames, cancellationToken), cancellationToken);
        await WaitForAsync(() => streams.ProcessedRecords >= settings.Records, () => streams.Completion, watch, "runtime", () => streams.ProcessedRecords, settings.Records, cancellationToken).ConfigureAwait(false);
        watch.Stop();
        await produce.ConfigureAwait(false);
        var rate = settings.Records / watch.Elapsed.TotalSeconds;
        Console.WriteLine($"runtime: {settings.Records:N0} records in {watch.Elapsed.TotalSeconds:F2} s = {rate:F0} rec/s ({streams.Commits} commits)");
        await streams.StopAsync().ConfigureAwait(false);
        return rate;
    }

    private static async Task<double> RunPassthroughAsync(Settings settings, KafkaClientFactory clients, ITopicProvisioner provisioner, string[] keyNames, CancellationToken cancellationToken)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var input = $"bench.passthrough.{run}.in";
        var output = $"bench.passthrough.{run}.out";
        var group = $"bench-passthrough-{run}";
        await provisioner.EnsureTopicsAsync([new TopicSpec(input, settings.Partitions), new TopicSpec(output, settings.Partitions)], cancellationToken).ConfigureAwait(false);

        await using var loop = PassthroughLoop.Start(clients, group, [input], output, settings.CommitInterval, cancellationToken);
        var watch = Stopwatch.StartNew();
        var produce = Task.Run(() => ProduceAsync(settings, clients, input, () => loop.Processed, keyNames, cancellationToken), cancellationToken);
        await WaitForAsync(() => loop.Processed >= settings.Records, () => loop.Completion, watch, "passthrough", () => loop.Processed, settings.Records, cancellationToken).ConfigureAwait(false);
        watch.Stop();
        await produce.ConfigureAwait(false);
        var rate = settings.Records / watch.Elapsed.TotalSeconds;
        Console.WriteLine($"passthrough: {settings.Records:N0} records in {watch.Elapsed.TotalSeconds:F2} s = {rate:F0} rec/s");
        return rate;
    }

    /// <summary>
    /// Produces the phase's records as fast as the client takes them, but never more than <see cref="MaxUnprocessed"/>
    /// ahead of the consumer, so the embedded cluster's 5 MB per partition never truncates unread data.
    /// </summary>
    private static async Task ProduceAsync(Settings settings, KafkaClientFactory clients, string topic, Func<long> processed, string[] keyNames, CancellationToken cancellationToken)
    {
        using var producer = clients.CreateProducer(Serializers.Utf8, Serializers.ByteArray);
        long failures = 0;
        Action<DeliveryReport<string, byte[]>> onDelivery = report =>
        {
            if (report.Error.IsError)
            {
                Interlocked.Increment(ref failures);
            }
        };
        var ticksPerRecord = TimeSpan.TicksPerMinute / settings.PerEventMinute;
        for (var i = 0; i < settings.Records; i++)
        {
            while (i - processed() > MaxUnprocessed)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(1), cancellationToken).ConfigureAwait(false);
            }

            var value = new byte[8];
            // CDN-like byte counts: deterministic, varied.
            BinaryPrimitives.WriteInt64BigEndian(value, 1_000 + (i % 9_973));
            var message = new Message<string, byte[]>
            {
                Key = keyNames[i % keyNames.Length],
                Value = value,
                Timestamp = new Timestamp(EventStart.AddTicks(i * ticksPerRecord)),
            };
            while (true)
            {
                try
                {
                    producer.Produce(topic, message, onDelivery);
                    break;
                }
                catch (ProduceException<string, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(5));
                }
            }
        }

        producer.Flush(TimeSpan.FromSeconds(60));
        if (Interlocked.Read(ref failures) > 0)
        {
            throw new InvalidOperationException($"{failures} input records were not delivered.");
        }
    }

    private static async Task WaitForAsync(Func<bool> done, Func<Task> worker, Stopwatch watch, string phase, Func<long> progress, int total, CancellationToken cancellationToken)
    {
        var lastReport = TimeSpan.Zero;
        while (!done())
        {
            if (worker().IsCompleted)
            {
                await worker().ConfigureAwait(false);
                throw new InvalidOperationException($"The {phase} stopped after {progress():N0} of {total:N0} records.");
            }

            if (watch.Elapsed - lastReport >= TimeSpan.FromSeconds(5))
            {
                lastReport = watch.Elapsed;
                Console.WriteLine($"  {phase}: {progress():N0} / {total:N0} after {watch.Elapsed.TotalSeconds:F0} s");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(10), cancellationToken).ConfigureAwait(false);
        }
    }

    private sealed record Settings(int Records, int Keys, int PerEventMinute, int Partitions, TimeSpan CommitInterval);
}
