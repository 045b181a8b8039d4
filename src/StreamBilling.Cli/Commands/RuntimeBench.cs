using System.Buffers.Binary;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
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
/// embedded cluster, a raw consume→produce passthrough over the same records; prints both rates, their ratio and the
/// engine's CPU per record, after checking a sample of window sums against a direct computation. <c>--engine streamiz</c>
/// runs the same workload on Streamiz.Kafka.Net in a child process (<see cref="StreamizChild"/>) instead.
/// </summary>
internal sealed class RuntimeBench : IBenchCommand
{
    // ~30 bytes per record on the wire: 400k in flight stay far below 8 × 5 MB.
    private const int MaxUnprocessed = 400_000;
    private static readonly DateTimeOffset EventStart = new(2024, 8, 1, 0, 0, 0, TimeSpan.Zero);

    public Command Create()
    {
        var records = new Option<int?>("--records") { Description = "Records per phase (default 2,000,000; streamiz: 200,000 with rocksdb, 20,000 with memory)." };
        var keys = new Option<int>("--keys") { Description = "Distinct keys (customers).", DefaultValueFactory = _ => 100_000 };
        var perMinute = new Option<int>("--per-event-minute") { Description = "Records per minute of event time (sets how many windows close during the run).", DefaultValueFactory = _ => 200_000 };
        var partitions = new Option<int>("--partitions") { Description = "Partitions of the input topics.", DefaultValueFactory = _ => 8 };
        var commit = new Option<int>("--commit-ms") { Description = "Runtime commit interval in milliseconds.", DefaultValueFactory = _ => 1_000 };
        var engine = new Option<string>("--engine") { Description = "runtime (this project's) or streamiz (Streamiz.Kafka.Net, bench-only, run as a child process).", DefaultValueFactory = _ => "runtime" };
        engine.AcceptOnlyFromAmong("runtime", "streamiz");
        var store = new Option<string>("--store") { Description = "Streamiz window store: rocksdb or memory.", DefaultValueFactory = _ => "rocksdb" };
        store.AcceptOnlyFromAmong("rocksdb", "memory");
        var streamizDll = new Option<string?>("--streamiz-dll") { Description = "StreamBilling.Bench.Streamiz.dll (default: this repository's build output)." };
        var command = new Command("runtime", "Stream runtime (15-minute windows advancing 1 minute, summed per key) vs a raw passthrough on the embedded cluster.")
        {
            records, keys, perMinute, partitions, commit, engine, store, streamizDll,
        };
        command.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var streamiz = pr.GetValue(engine) == "streamiz";
            var storeKind = pr.GetValue(store)!;
            var count = pr.GetValue(records) ?? (!streamiz ? 2_000_000 : storeKind == "memory" ? 20_000 : 200_000);
            var settings = new Settings(count, pr.GetValue(keys), pr.GetValue(perMinute), pr.GetValue(partitions), TimeSpan.FromMilliseconds(pr.GetValue(commit)))
            {
                StreamizStore = streamiz ? storeKind : null,
                StreamizDll = streamiz ? StreamizChild.FindDll(pr.GetValue(streamizDll)) : null,
            };
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

        var check = new WindowSumCheck(settings.Records, keyNames, TimeSpan.TicksPerMinute / settings.PerEventMinute, EventStart);
        var (engine, engineRate, cpuPerRecord) = settings.StreamizStore is null
            ? await RunRuntimeAsync(settings, clients, provisioner, keyNames, check, cancellationToken).ConfigureAwait(false)
            : await RunStreamizAsync(settings, clients, provisioner, keyNames, check, cancellationToken).ConfigureAwait(false);
        check.ThrowIfFailed(engine);
        Console.WriteLine($"{engine}: {check.Verified:N0} window sums of {check.SampleKeys.Count} sample keys match the direct computation");
        var passthroughRate = await RunPassthroughAsync(settings, clients, provisioner, keyNames, cancellationToken).ConfigureAwait(false);

        using var process = Process.GetCurrentProcess();
        Console.WriteLine($"peak working set {process.PeakWorkingSet64 / (1024 * 1024):N0} MiB, managed heap now {GC.GetTotalMemory(false) / (1024 * 1024):N0} MiB");
        Console.WriteLine(FormattableString.Invariant($"{engine} {engineRate:F0} rec/s, passthrough {passthroughRate:F0} rec/s, ratio {engineRate / passthroughRate:F3}, cpu {cpuPerRecord:F1} us/record, {check.Verified} window sums verified"));
        await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private static async Task<(string Engine, double Rate, double CpuMicrosPerRecord)> RunRuntimeAsync(Settings settings, KafkaClientFactory clients, ITopicProvisioner provisioner, string[] keyNames, WindowSumCheck check, CancellationToken cancellationToken)
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
        using var self = Process.GetCurrentProcess();
        var cpuAtStart = self.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var produce = Task.Run(() => ProduceAsync(settings, clients, input, () => streams.ProcessedRecords, keyNames, cancellationToken), cancellationToken);
        await WaitForAsync(() => streams.ProcessedRecords >= settings.Records, () => streams.Completion, watch, "runtime", () => streams.ProcessedRecords, settings.Records, cancellationToken).ConfigureAwait(false);
        watch.Stop();
        self.Refresh();
        var cpu = self.TotalProcessorTime - cpuAtStart;
        await produce.ConfigureAwait(false);
        var rate = settings.Records / watch.Elapsed.TotalSeconds;
        Console.WriteLine($"runtime: {settings.Records:N0} records in {watch.Elapsed.TotalSeconds:F2} s = {rate:F0} rec/s ({streams.Commits} commits)");
        await streams.StopAsync().ConfigureAwait(false);

        // Closed windows are emitted keyed by customer, timestamped with the window start.
        foreach (var (key, timestamp, value) in TopicReader.ReadAll(clients, output))
        {
            check.Check(key, timestamp, BinaryPrimitives.ReadInt64BigEndian(value));
        }

        // The CPU includes the producer feeding the input in this process (bounded to MaxUnprocessed ahead).
        return ("runtime", rate, cpu.TotalMicroseconds / settings.Records);
    }

    /// <summary>
    /// The same workload on Streamiz in a child process: the input is produced before it starts (the child measures from
    /// its first record), its changelog topic is created here with the input's partition count (the embedded cluster has
    /// no CreateTopics), and its window sums of the sample keys are read back from its store and checked.
    /// </summary>
    private static async Task<(string Engine, double Rate, double CpuMicrosPerRecord)> RunStreamizAsync(Settings settings, KafkaClientFactory clients, ITopicProvisioner provisioner, string[] keyNames, WindowSumCheck check, CancellationToken cancellationToken)
    {
        const string storeName = "bench-window-sums";
        var engine = $"streamiz-{settings.StreamizStore}";
        var run = Guid.NewGuid().ToString("N")[..8];
        var input = $"bench.streamiz.{run}.in";
        var output = $"bench.streamiz.{run}.out";
        var applicationId = $"bench-streamiz-{run}";
        await provisioner.EnsureTopicsAsync(
            [new TopicSpec(input, settings.Partitions), new TopicSpec(output, settings.Partitions), new TopicSpec($"{applicationId}-{storeName}-changelog", settings.Partitions)],
            cancellationToken).ConfigureAwait(false);
        await ProduceAsync(settings, clients, input, () => settings.Records, keyNames, cancellationToken).ConfigureAwait(false);

        var stateDir = Directory.CreateTempSubdirectory("streambilling-streamiz-");
        try
        {
            var eventEnd = EventStart.AddTicks(settings.Records * (TimeSpan.TicksPerMinute / settings.PerEventMinute));
            var lines = await StreamizChild.RunAsync(settings.StreamizDll!, "runtime", new Dictionary<string, string>
            {
                ["bootstrap"] = clients.Cluster.BootstrapServers,
                ["input"] = input,
                ["output"] = output,
                ["application-id"] = applicationId,
                ["store"] = settings.StreamizStore!,
                ["store-name"] = storeName,
                ["records"] = settings.Records.ToString(CultureInfo.InvariantCulture),
                ["commit-ms"] = ((long)settings.CommitInterval.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
                ["state-dir"] = stateDir.FullName,
                ["sample-keys"] = string.Join(',', check.SampleKeys),
                ["from-ms"] = EventStart.AddMinutes(-15).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
                ["to-ms"] = eventEnd.AddMinutes(1).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            }, cancellationToken).ConfigureAwait(false);
            var result = StreamizResult.Parse(lines);
            foreach (var (key, start, sum) in result.Windows)
            {
                check.Check(key, start, sum);
            }

            var rate = settings.Records / result.Seconds;
            Console.WriteLine($"{engine}: {settings.Records:N0} records in {result.Seconds:F2} s = {rate:F0} rec/s, child peak working set {result.PeakWorkingSetMib:N0} MiB");
            return (engine, rate, result.CpuSeconds * 1e6 / settings.Records);
        }
        finally
        {
            stateDir.Delete(recursive: true);
        }
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

    private sealed record Settings(int Records, int Keys, int PerEventMinute, int Partitions, TimeSpan CommitInterval)
    {
        /// <summary>rocksdb or memory with <c>--engine streamiz</c>; null for this project's runtime.</summary>
        public string? StreamizStore { get; init; }

        public string? StreamizDll { get; init; }
    }
}
