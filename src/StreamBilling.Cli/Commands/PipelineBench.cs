using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StreamBilling.Billing.RateCards;
using StreamBilling.Contracts;
using StreamBilling.Events.Outputs;
using StreamBilling.Kafka;
using StreamBilling.Pipeline;
using StreamBilling.Pipeline.Cdn;
using StreamBilling.Simulation;
using StreamBilling.Streams;
using StreamBilling.Streams.Kafka;

namespace StreamBilling.Cli.Commands;

/// <summary>
/// <c>streambilling bench pipeline</c>: simulated mixed usage (Avro) through the billing topologies, all in one process on
/// the embedded cluster, against a passthrough of the same input measured in the same run. Prints both rates, their
/// ratio, CPU per input event and the latency from publishing a CDN sample to reading the cap decision it caused.
/// </summary>
internal sealed class PipelineBench : IBenchCommand
{
    // Unpaced, the publisher stays at most this many records ahead of each application's reading: enough to keep every
    // stage busy (the pipeline's rate is the same with 30k), few enough that the cap latency is not the bench's own queue.
    private const long DefaultMaxAhead = 10_000;
    // The passthrough, which has no latency to read, gets the queue at which its own rate is highest (10k costs it about
    // a tenth), so the ceiling is not lowered by the pipeline's choice.
    private const long PassthroughMaxAhead = 30_000;
    private const string PassthroughPrefix = "bench.passthrough.";
    // Linux keeps a thread's name to its first 15 characters.
    private const int OsThreadNameLength = 15;
    private static readonly TimeSpan CommitInterval = TimeSpan.FromMilliseconds(1000);
    // The embedded cluster's broker count, the same in this process or in a child: the default of Kafka:EmbeddedBrokers.
    private static readonly int EmbeddedBrokers = new KafkaOptions().EmbeddedBrokers;

    public Command Create()
    {
        var customers = new Option<int>("--customers") { Description = "Simulated customers.", DefaultValueFactory = _ => 300 };
        var hours = new Option<int>("--hours") { Description = "Hours of simulated usage.", DefaultValueFactory = _ => 24 };
        var seed = new Option<int>("--seed") { Description = "Simulator seed.", DefaultValueFactory = _ => 7 };
        var rate = new Option<double>("--rate") { Description = "Offered load in events/s, to read the cap-decision latency below saturation; 0 (default): as fast as the slowest application reads (the throughput figure).", DefaultValueFactory = _ => 0 };
        var store = new Option<string>("--store") { Description = "State stores of every topology: memory (the default of each application) or rocksdb (PersistentStores, under a temporary state directory).", DefaultValueFactory = _ => "memory" };
        store.AcceptOnlyFromAmong("memory", "rocksdb");
        var bursts = new Option<double>("--burst-ratio") { Description = "Share of customers with one CDN burst over a cap (each burst gives a cap decision, i.e. a latency sample).", DefaultValueFactory = _ => 1.0 };
        var only = new Option<string[]>("--apps") { Description = "Run only these topologies (sessions, cdn-caps, cdn-usage, rollups, pricing, invoices); default all.", AllowMultipleArgumentsPerToken = true };
        var maxAhead = new Option<long>("--max-ahead") { Description = $"Most records published ahead of any application's reading (default {DefaultMaxAhead:N0}); unpaced, the cap latency is mostly this queue.", DefaultValueFactory = _ => DefaultMaxAhead };
        var broker = new Option<string>("--broker") { Description = "Where the embedded cluster runs: child (default; a `streambilling broker` process, as a deployment has its cluster outside the pipeline process, its CPU and memory printed apart) or in-process.", DefaultValueFactory = _ => "child" };
        broker.AcceptOnlyFromAmong("child", "in-process");
        var rateCard = new Option<FileInfo>("--rate-card") { Description = "Rate card for pricing and invoices.", DefaultValueFactory = _ => new FileInfo(Path.Combine("infra", "rate-card.json")) };
        var command = new Command("pipeline", "Simulated usage through the billing topologies on the embedded cluster: events/s and usage→cap-decision latency.")
        {
            customers, hours, seed, bursts, only, rateCard, rate, store, broker, maxAhead,
        };
        command.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var options = new SimulationOptions
            {
                Customers = pr.GetValue(customers),
                Duration = TimeSpan.FromHours(pr.GetValue(hours)),
                Seed = pr.GetValue(seed),
                CdnBurstCustomerRatio = pr.GetValue(bursts),
            };
            options.Validate();
            if (pr.GetValue(rate) is var offered && offered < 0)
            {
                await pr.InvocationConfiguration.Error.WriteLineAsync("--rate must be 0 (unpaced) or a positive number of events per second.").ConfigureAwait(false);
                return 2;
            }

            if (pr.GetValue(maxAhead) < 1)
            {
                await pr.InvocationConfiguration.Error.WriteLineAsync("--max-ahead must be at least 1.").ConfigureAwait(false);
                return 2;
            }

            var card = pr.GetValue(rateCard)!;
            if (!card.Exists)
            {
                await pr.InvocationConfiguration.Error.WriteLineAsync($"Rate card not found: {card.FullName} (run from the repository root or pass --rate-card).").ConfigureAwait(false);
                return 2;
            }

            await using var child = pr.GetValue(broker) == "child" ? await BrokerChild.StartAsync(EmbeddedBrokers, ct).ConfigureAwait(false) : null;
            await RunAsync(options, pr.GetValue(only) ?? [], RateCard.Load(card.FullName), new Load(offered, pr.GetValue(maxAhead)), pr.GetValue(store) == "rocksdb", child, ct).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static async Task RunAsync(SimulationOptions simulation, string[] only, RateCard rateCard, Load load, bool rocksDb, BrokerChild? broker, CancellationToken cancellationToken)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Kafka:BootstrapServers"] = broker?.BootstrapServers });
        builder.AddStreamBillingKafka(Topics.AllWithDeadLetters());
        using var host = builder.Build();
        await host.StartAsync(cancellationToken).ConfigureAwait(false);
        var clients = host.Services.GetRequiredService<KafkaClientFactory>();
        var provisioner = host.Services.GetRequiredService<ITopicProvisioner>();

        var serdes = new AvroSerdes(clients.SchemaRegistry);
        var run = Guid.NewGuid().ToString("N")[..6];
        var registry = new CdnRegistrySnapshot(new UsageSimulator(simulation).Customers.Select(c => c.Distribution));
        var applications = new (string Name, Topology Topology)[]
        {
            ("sessions", PipelineTopologies.BuildInstanceSessions(serdes, new() { ApplicationId = $"bench-sessions-{run}", PersistentStores = rocksDb })),
            ("cdn-caps", PipelineTopologies.BuildCdnCaps(serdes, registry, new() { ApplicationId = $"bench-cdn-caps-{run}", PersistentStores = rocksDb })),
            ("cdn-usage", PipelineTopologies.BuildCdnUsageMessages(serdes, new() { ApplicationId = $"bench-cdn-usage-{run}", PersistentStores = rocksDb })),
            ("rollups", PipelineTopologies.BuildHourlyRollups(serdes, new() { ApplicationId = $"bench-rollups-{run}", PersistentStores = rocksDb })),
            ("pricing", PricingTopology.Build(serdes, new() { ApplicationId = $"bench-pricing-{run}", RateCard = rateCard, PersistentStores = rocksDb })),
            ("invoices", InvoiceTopology.Build(serdes, new() { ApplicationId = $"bench-invoices-{run}", RateCard = rateCard, PersistentStores = rocksDb })),
        };
        if (only.Length > 0)
        {
            applications = [.. applications.Where(a => only.Contains(a.Name, StringComparer.Ordinal))];
        }

        var input = Prepare(clients, simulation, [.. applications.Select(a => a.Topology)]);
        // What each first-level application must have read before the run counts as done.
        var expected = applications.Select((a, i) => (a.Name, Count: input.Reads[i].LongCount(r => r)))
            .ToDictionary(a => a.Name, a => a.Count, StringComparer.Ordinal);

        var passthrough = await RunPassthroughAsync(clients, provisioner, input, load, broker, [.. applications.Select((a, i) => (a.Name, a.Topology, Expected: expected[a.Name], Reads: input.Reads[i]))], cancellationToken).ConfigureAwait(false);

        var streams = new List<KafkaStreams>();
        // RocksDB stores live under the stream state directory: a fresh one per run, removed after it.
        var stateDirectory = Path.Combine(Path.GetTempPath(), $"streambilling-bench-{run}");
        try
        {
            foreach (var (_, topology) in applications)
            {
                var instance = new KafkaStreams(topology, clients, provisioner, new KafkaStreamsOptions { CommitInterval = CommitInterval, StateDirectory = stateDirectory });
                streams.Add(instance);
                await instance.StartAsync(cancellationToken).ConfigureAwait(false);
            }

            var sentAt = new long[input.Count];
            var latencies = new List<double>();
            using var stopDecisions = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var decisions = Task.Factory.StartNew(() => ReadDecisions(clients, input, sentAt, latencies, stopDecisions.Token), stopDecisions.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            // Applications reading only derived topics (rollups, invoices) have no known input count; they run, and are reported, but not awaited.
            var readers = applications.Select((a, i) => new Reader(a.Name, () => streams[i].ProcessedRecords, expected[a.Name], () => streams[i].Completion, input.Reads[i], streams[i].ThreadName)).ToList();
            var pipeline = await PublishAndWaitAsync(clients, input, i => input.Topics[i], readers, sentAt, load, broker, cancellationToken).ConfigureAwait(false);

            // Decisions still in flight are read for one more second.
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            await stopDecisions.CancelAsync().ConfigureAwait(false);
            await decisions.ConfigureAwait(false);

            pipeline.Print("pipeline", input.Count);
            pipeline.PrintThreads();
            foreach (var ((name, topology), instance) in applications.Zip(streams))
            {
                Console.WriteLine($"  {name,-10} read {instance.ProcessedRecords,10:N0} records ({string.Join(", ", topology.SourceTopics)})");
            }

            var written = await PrintWrittenAsync(clients, input.Count).ConfigureAwait(false) - input.Count;
            var read = streams.Sum(s => s.ProcessedRecords);
            latencies.Sort();
            var p50 = latencies.Count == 0 ? double.NaN : latencies[latencies.Count / 2];
            var p99 = latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)(latencies.Count * 0.99))];
            using var process = Process.GetCurrentProcess();
            // The process also holds the embedded broker's logs and the encoded input (native and managed memory that a
            // deployment's pipeline process would not have): the managed heap after a full collection is the pipeline's state.
            GC.Collect();
            var heap = GC.GetGCMemoryInfo();
            Console.WriteLine($"cap decisions {latencies.Count:N0}, latency p50 {p50 * 1000:F0} ms; peak working set {process.PeakWorkingSet64 / (1024 * 1024):N0} MiB{(broker is null ? " (the embedded broker's logs in it)" : $" (broker process: {broker.PeakWorkingSet / (1024 * 1024):N0} MiB)")}, managed heap after the run {heap.HeapSizeBytes / (1024 * 1024):N0} MiB ({input.EncodedBytes / (1024 * 1024):N0} MiB of it the encoded input)");
            // The work each side did in Kafka records (the input's publishing left out, as it is the same on both): the
            // pipeline reads derived topics and writes outputs, changelogs and repartitions besides; the passthrough reads
            // each input once per application and writes one record per read.
            var pipelineMoved = read + written;
            var passthroughMoved = 2 * passthrough.Read;
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"records moved per event: pipeline {pipelineMoved / (double)input.Count:F2} (read {read / (double)input.Count:F2}, written {written / (double)input.Count:F2}), passthrough {passthroughMoved / (double)input.Count:F2}; cpu per record moved: pipeline {pipeline.Cpu.TotalMicroseconds / Math.Max(1, pipelineMoved):F2} us, passthrough {passthrough.Cpu.TotalMicroseconds / Math.Max(1, passthroughMoved):F2} us"));
            var pipelineRate = input.Count / pipeline.Processed.TotalSeconds;
            var passthroughRate = input.Count / passthrough.Processed.TotalSeconds;
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"pipeline {pipelineRate:F0} events/s, passthrough {passthroughRate:F0} events/s, ratio {pipelineRate / passthroughRate:F2}, cpu {pipeline.Cpu.TotalMicroseconds / input.Count:F1} us/event (passthrough {passthrough.Cpu.TotalMicroseconds / input.Count:F1}), cap p99 {p99 * 1000:F0} ms"));
        }
        finally
        {
            foreach (var instance in streams)
            {
                await instance.DisposeAsync().ConfigureAwait(false);
            }

            await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
            if (Directory.Exists(stateDirectory))
            {
                Directory.Delete(stateDirectory, recursive: true);
            }
        }
    }

    /// <summary>
    /// The same input, published the same way, through a raw consume→produce loop per application over copies of its
    /// input topics (same partition counts), with no processing: the ceiling the pipeline is measured against.
    /// </summary>
    private static async Task<Measured> RunPassthroughAsync(KafkaClientFactory clients, ITopicProvisioner provisioner, BenchInput input, Load load, BrokerChild? broker, IReadOnlyList<(string Name, Topology Topology, long Expected, bool[] Reads)> applications, CancellationToken cancellationToken)
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        string CopyOf(string topic) => $"{PassthroughPrefix}{run}.{topic}";
        var specs = Topics.All.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var inputTopics = input.Topics.Distinct(StringComparer.Ordinal).ToList();
        var reading = applications.Where(a => a.Expected > 0).ToList();
        await provisioner.EnsureTopicsAsync(
            [
                .. inputTopics.Select(t => new TopicSpec(CopyOf(t), specs[t].Partitions)),
                .. reading.Select(a => new TopicSpec(CopyOf(a.Name + ".out"), a.Topology.SourceTopics.Where(inputTopics.Contains).Max(t => specs[t].Partitions))),
            ],
            cancellationToken).ConfigureAwait(false);

        var loops = reading
            .Select(a => PassthroughLoop.Start(clients, $"bench-passthrough-{a.Name}-{run}", [.. a.Topology.SourceTopics.Where(inputTopics.Contains).Select(CopyOf)], CopyOf(a.Name + ".out"), CommitInterval, cancellationToken))
            .ToList();
        try
        {
            var readers = reading.Select((a, i) => new Reader(a.Name, () => loops[i].Processed, a.Expected, () => loops[i].Completion, a.Reads, Thread: null)).ToList();
            var measured = await PublishAndWaitAsync(clients, input, i => CopyOf(input.Topics[i]), readers, sentAt: null, load with { MaxAhead = PassthroughMaxAhead }, broker, cancellationToken).ConfigureAwait(false);
            measured.Print("passthrough", input.Count);
            return measured;
        }
        finally
        {
            foreach (var loop in loops)
            {
                await loop.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Publishes the encoded input (to <paramref name="topicOf"/> each record's topic), never more than
    /// <see cref="Load.MaxAhead"/> records ahead of any reader and, when <see cref="Load.Rate"/> is positive, no faster than that many events per
    /// second, until every reader with a known input count has read it all.
    /// </summary>
    private static async Task<Measured> PublishAndWaitAsync(KafkaClientFactory clients, BenchInput input, Func<int, string> topicOf, IReadOnlyList<Reader> readers, long[]? sentAt, Load load, BrokerChild? broker, CancellationToken cancellationToken)
    {
        // In-process back-pressure on what each application has read (exact and immediate, unlike committed offsets).
        // The simulated services' producer needs only each delivery's error: copying every key and value back into a
        // report cost the measured process CPU that neither the pipeline nor the passthrough spends.
        using var producer = clients.CreateRawProducer(config => config.DeliveryReportFields = "status");
        var failures = 0L;
        Action<DeliveryReport<byte[], byte[]>> onDelivery = report =>
        {
            if (report.Error.IsError)
            {
                Interlocked.Increment(ref failures);
            }
        };
        var sent = new long[readers.Count];
        var waited = TimeSpan.Zero;
        var waitedOn = new int[readers.Count];
        using var process = Process.GetCurrentProcess();
        var cpuAtStart = process.TotalProcessorTime;
        var brokerCpuAtStart = broker?.Cpu;
        var gcAtStart = GcWork.Now();
        var threadsAtStart = ThreadCpu.Now();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < input.Count; i++)
        {
            for (var r = 0; r < readers.Count; r++)
            {
                if (readers[r].Reads[i])
                {
                    sent[r]++;
                }
            }

            if (load.Rate > 0 && i % 100 == 0 && TimeSpan.FromSeconds(i / load.Rate) - watch.Elapsed is var early && early > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(early, cancellationToken).ConfigureAwait(false);
            }

            if (i % 1_000 == 0)
            {
                var waitStart = Stopwatch.GetTimestamp();
                while (Enumerable.Range(0, readers.Count).FirstOrDefault(r => sent[r] - readers[r].Processed() > load.MaxAhead, -1) is var behind && behind >= 0)
                {
                    waitedOn[behind]++;
                    await Task.Delay(TimeSpan.FromMilliseconds(1), cancellationToken).ConfigureAwait(false);
                }

                waited += Stopwatch.GetElapsedTime(waitStart);
            }

            if (sentAt is not null)
            {
                Volatile.Write(ref sentAt[i], Stopwatch.GetTimestamp());
            }

            ProduceWithRetry(producer, topicOf(i), input.MessageAt(i), onDelivery);
        }

        producer.Flush(cancellationToken);
        if (Interlocked.Read(ref failures) > 0)
        {
            throw new KafkaException(new Error(ErrorCode.Local_Fail, $"{failures} bench event(s) were not delivered."));
        }

        var published = watch.Elapsed;
        var awaited = readers.Where(r => r.Expected > 0).ToList();
        while (awaited.Any(r => r.Processed() < r.Expected))
        {
            foreach (var reader in awaited.Where(r => r.Completion().IsFaulted))
            {
                await reader.Completion().ConfigureAwait(false);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(10), cancellationToken).ConfigureAwait(false);
        }

        var processed = watch.Elapsed;
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuAtStart;
        var brokerCpu = broker?.Cpu - brokerCpuAtStart;
        var gc = GcWork.Now() - gcAtStart;
        var threads = ThreadCpu.Now().Since(threadsAtStart, thread => ThreadGroup(readers, thread));
        var waits = string.Join(", ", readers.Select((r, i) => (r.Name, Waits: waitedOn[i])).Where(r => r.Waits > 0).Select(r => $"{r.Name} {r.Waits}"));
        return new Measured(published, processed, waited, waits, cpu, brokerCpu, gc, threads, readers.Sum(r => r.Processed()));
    }

    /// <summary>Records in every topic after the run (the passthrough's copies left out): the pipeline's write amplification (outputs, changelogs, repartitions).</summary>
    private static async Task<long> PrintWrittenAsync(KafkaClientFactory clients, int inputs)
    {
        using var admin = clients.CreateAdminClient();
        var partitions = admin.GetMetadata(TimeSpan.FromSeconds(10)).Topics
            .Where(t => !t.Topic.StartsWith(PassthroughPrefix, StringComparison.Ordinal))
            .SelectMany(t => t.Partitions.Select(p => new TopicPartition(t.Topic, p.PartitionId)))
            .ToList();
        var (_, high) = await admin.ListWatermarksAsync(partitions, TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        var perTopic = high.GroupBy(p => p.Key.Topic, StringComparer.Ordinal).Select(g => (Topic: g.Key, Records: g.Sum(p => p.Value))).Where(t => t.Records > 0).OrderByDescending(t => t.Records).ToList();
        var total = perTopic.Sum(t => t.Records);
        Console.WriteLine($"records written to Kafka: {total:N0} ({total / (double)inputs:F2} per input event)");
        foreach (var (topic, records) in perTopic.Take(12))
        {
            Console.WriteLine($"  {records,10:N0}  {topic}");
        }

        return total;
    }

    /// <summary>
    /// Simulates and encodes the input before the clock starts: the load generator stands in for the producing services,
    /// so their Avro encoding is not the pipeline's work. Each event is encoded as it is simulated and only the encoded
    /// records are kept: holding the simulated objects (about 0.5 GiB at 72 h) set the process's peak before the run began.
    /// </summary>
    private static BenchInput Prepare(KafkaClientFactory clients, SimulationOptions options, IReadOnlyList<Topology> topologies)
    {
        var generate = Stopwatch.StartNew();
        var sources = topologies.Select(t => t.SourceTopics.ToHashSet(StringComparer.Ordinal)).ToList();
        var serializer = clients.CreateSpecificRecordSerializer();
        var simulated = 0;
        var input = BenchInput.Encode(Read(), e => serializer.Serialize(e.Value, new SerializationContext(MessageComponentType.Value, e.Topic)), sources);
        Console.WriteLine($"simulated {simulated:N0} events for {options.Customers} customers over {options.Duration.TotalHours:F0} h and encoded {input.Count:N0} of them in {generate.Elapsed.TotalSeconds:F1} s");

        // What the simulation left behind is returned to the system before the runs measure memory.
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return input;

        // The events some application reads, counting all.
        IEnumerable<SimulatedEvent> Read()
        {
            foreach (var e in new UsageSimulator(options).Generate())
            {
                simulated++;
                if (sources.Any(s => s.Contains(e.Topic)))
                {
                    yield return e;
                }
            }
        }
    }

    private static void ProduceWithRetry(IProducer<byte[], byte[]> producer, string topic, Message<byte[], byte[]> message, Action<DeliveryReport<byte[], byte[]>> onDelivery)
    {
        while (true)
        {
            try
            {
                producer.Produce(topic, message, onDelivery);
                return;
            }
            catch (ProduceException<byte[], byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                producer.Poll(TimeSpan.FromMilliseconds(5));
            }
        }
    }

    /// <summary>How the input is offered: <paramref name="Rate"/> events/s (0: unpaced), never more than <paramref name="MaxAhead"/> records ahead of a reader.</summary>
    private sealed record Load(double Rate, long MaxAhead);

    /// <summary>One application (or its passthrough) as the publisher sees it: how far it has read, what it must read, and its stream thread's name (none for a passthrough).</summary>
    private sealed record Reader(string Name, Func<long> Processed, long Expected, Func<Task> Completion, bool[] Reads, string? Thread);

    /// <summary>
    /// A thread's group in the CPU table: the reader whose stream thread it is (matched on the characters the OS keeps of
    /// its name), librdkafka's threads by kind ("rdk:broker…", numbered per broker), any other by its name.
    /// </summary>
    private static string ThreadGroup(IReadOnlyList<Reader> readers, string thread) =>
        readers.FirstOrDefault(r => r.Thread is { } full && (full == thread || (thread.Length == OsThreadNameLength && full.StartsWith(thread, StringComparison.Ordinal))))?.Name
        ?? (thread.StartsWith("rdk:", StringComparison.Ordinal) ? "librdkafka " + thread.TrimEnd("0123456789".ToCharArray()).TrimEnd('/') : thread);

    /// <summary>One run's timings: publishing, until every reader was done, waiting on back-pressure, CPU of the process.</summary>
    private sealed record Measured(TimeSpan Published, TimeSpan Processed, TimeSpan Waited, string WaitedOn, TimeSpan Cpu, TimeSpan? BrokerCpu, GcWork Gc, IReadOnlyList<(string Group, double Seconds)> Threads, long Read)
    {
        /// <summary>The interval's CPU by thread group, largest first, groups under 1 % summed as "other".</summary>
        public void PrintThreads()
        {
            var total = Threads.Sum(t => t.Seconds);
            var shown = Threads.Where(t => t.Seconds >= total / 100).ToList();
            foreach (var (group, seconds) in shown.Append(("other", total - shown.Sum(t => t.Seconds))))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  cpu {seconds,7:F2} s {seconds / Math.Max(total, 1e-9),6:P0}  {group}"));
            }
        }

        public void Print(string name, int events) => Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{name}: {events:N0} events published in {Published.TotalSeconds:F2} s ({Waited.TotalSeconds:F2} s waiting{(WaitedOn.Length > 0 ? " for " + WaitedOn : string.Empty)}), all read after {Processed.TotalSeconds:F2} s, {Cpu.TotalSeconds:F2} s CPU{(BrokerCpu is { } broker ? $" (broker process: {broker.TotalSeconds:F2} s more)" : string.Empty)}; {Gc.Describe(events)}"));
    }

    /// <summary>Reads cap decisions as they appear; each one's latency runs from publishing the sample that crossed the cap.</summary>
    private static void ReadDecisions(KafkaClientFactory clients, BenchInput input, long[] sentAt, List<double> latencies, CancellationToken stop)
    {
        using var consumer = clients.CreateAvroConsumer<CdnCapDecision>($"bench-decisions-{Guid.NewGuid():N}", new KafkaConsumerOptions { WhenNoCommittedOffset = MissingOffsetPolicy.Earliest });
        consumer.Subscribe(Topics.CdnCaps);
        while (!stop.IsCancellationRequested)
        {
            var result = consumer.ConsumeChecked(TimeSpan.FromMilliseconds(50));
            if (result?.Message.Value is not { } decision)
            {
                continue;
            }

            var now = Stopwatch.GetTimestamp();
            if (decision.sourceEventIds.Count == 0 || !input.TryFindSample(decision.sourceEventIds[^1], out var index)
                || Volatile.Read(ref sentAt[index]) is var sent && sent == 0)
            {
                continue;
            }

            latencies.Add(Stopwatch.GetElapsedTime(sent, now).TotalSeconds);
        }

        consumer.Close();
    }
}
