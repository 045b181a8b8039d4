using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StreamBilling.Contracts;
using StreamBilling.Events.Cdn;
using StreamBilling.Events.Outputs;
using StreamBilling.Kafka;
using StreamBilling.Pipeline;
using StreamBilling.Pipeline.Cdn;
using StreamBilling.Simulation;
using StreamBilling.Streams.Kafka;

namespace StreamBilling.Cli.Commands;

/// <summary>
/// <c>streambilling bench caps</c>: the same simulated CloudWatch CDN samples through CdnCapWindows (this project's
/// runtime) and through the 15 min / 3 h caps written with Streamiz's DSL (child process), on one embedded cluster;
/// prints both rates and CPU, compares the decisions, and fails when they differ.
/// </summary>
/// <remarks>
/// "Same decisions" means the same set of (customer, cap, window start), and for each the same total at the crossing
/// and the same crossing sample. Streamiz emits every update of every window; its crossing updates are grouped into
/// decisions with CdnCapWindows' rule (see <c>bench/StreamBilling.Bench.Streamiz/CdnCapRun.cs</c>). The simulation
/// sends no re-sent samples: the DSL version does not de-duplicate by eventId.
/// </remarks>
internal sealed class CapsBench : IBenchCommand
{
    private static readonly string[] StreamizStores = ["cap-15m", "cap-180m"];

    public Command Create()
    {
        var customers = new Option<int>("--customers") { Description = "Simulated customers.", DefaultValueFactory = _ => 50 };
        var hours = new Option<int>("--hours") { Description = "Hours of simulated usage (one CloudWatch sample per customer and minute).", DefaultValueFactory = _ => 12 };
        var seed = new Option<int>("--seed") { Description = "Simulator seed.", DefaultValueFactory = _ => 7 };
        var bursts = new Option<double>("--burst-ratio") { Description = "Share of customers with a CDN burst over a cap.", DefaultValueFactory = _ => 0.5 };
        var store = new Option<string>("--store") { Description = "Streamiz window store: rocksdb or memory.", DefaultValueFactory = _ => "rocksdb" };
        store.AcceptOnlyFromAmong("rocksdb", "memory");
        var streamizDll = new Option<string?>("--streamiz-dll") { Description = "StreamBilling.Bench.Streamiz.dll (default: this repository's build output)." };
        var command = new Command("caps", "CDN caps (100 GB / 15 min, 500 GB / 3 h) on this runtime (CdnCapWindows) and on Streamiz, same samples: rates, CPU and decisions compared.")
        {
            customers, hours, seed, bursts, store, streamizDll,
        };
        command.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var simulation = new SimulationOptions
            {
                Customers = pr.GetValue(customers),
                Duration = TimeSpan.FromHours(pr.GetValue(hours)),
                Seed = pr.GetValue(seed),
                CdnBurstCustomerRatio = pr.GetValue(bursts),
                DuplicateRatio = 0,
            };
            simulation.Validate();
            return await RunAsync(simulation, pr.GetValue(store)!, StreamizChild.FindDll(pr.GetValue(streamizDll)), ct).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> RunAsync(SimulationOptions simulation, string store, string streamizDll, CancellationToken cancellationToken)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Kafka:BootstrapServers"] = null });
        builder.AddStreamBillingKafka(Topics.AllWithDeadLetters());
        using var host = builder.Build();
        await host.StartAsync(cancellationToken).ConfigureAwait(false);
        var clients = host.Services.GetRequiredService<KafkaClientFactory>();
        var provisioner = host.Services.GetRequiredService<ITopicProvisioner>();

        var samples = new UsageSimulator(simulation).Generate()
            .Where(e => e is { Topic: Topics.CdnTraffic, Value: CdnTraffic { dataSource: CdnDataSource.CloudWatch } })
            .ToList();
        var partitions = Topics.AllWithDeadLetters().Single(t => t.Name == Topics.CdnTraffic).Partitions;
        Console.WriteLine($"{samples.Count:N0} CloudWatch samples of {simulation.Customers} customers over {simulation.Duration.TotalHours:F0} h, {partitions} partitions, embedded cluster {clients.Cluster.BootstrapServers}");

        var registry = new CdnRegistrySnapshot(new UsageSimulator(simulation).Customers.Select(c => c.Distribution));
        var ours = await RunOursAsync(clients, provisioner, samples, registry, cancellationToken).ConfigureAwait(false);
        var streamiz = await RunStreamizAsync(clients, provisioner, samples, partitions, store, streamizDll, cancellationToken).ConfigureAwait(false);

        Console.WriteLine();
        Console.WriteLine($"{"engine",-18} {"samples",9} {"seconds",8} {"samples/s",10} {"cpu us/sample",14} {"decisions 15m",14} {"decisions 3h",13} {"customers capped",17}");
        foreach (var engine in new[] { ours, streamiz })
        {
            Console.WriteLine(FormattableString.Invariant($"{engine.Name,-18} {samples.Count,9:N0} {engine.Seconds,8:F2} {samples.Count / engine.Seconds,10:F0} {engine.CpuSeconds * 1e6 / samples.Count,14:F1} {engine.Decisions.Count(d => d.CapMinutes == 15),14} {engine.Decisions.Count(d => d.CapMinutes == 180),13} {engine.Decisions.Select(d => d.Customer).Distinct().Count(),17}"));
        }

        var differences = Compare(ours, streamiz);
        foreach (var difference in differences.Take(20))
        {
            Console.WriteLine($"  differs: {difference}");
        }

        var oursRate = samples.Count / ours.Seconds;
        var streamizRate = samples.Count / streamiz.Seconds;
        Console.WriteLine(FormattableString.Invariant($"caps: runtime {oursRate:F0} samples/s, {streamiz.Name} {streamizRate:F0} samples/s, ratio {streamizRate / oursRate:F3}, cpu {ours.CpuSeconds * 1e6 / samples.Count:F1} vs {streamiz.CpuSeconds * 1e6 / samples.Count:F1} us/sample, decisions {ours.Decisions.Count} vs {streamiz.Decisions.Count}, differences {differences.Count}"));
        await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
        return differences.Count == 0 ? 0 : 1;
    }

    private static async Task<EngineResult> RunOursAsync(KafkaClientFactory clients, ITopicProvisioner provisioner, List<SimulatedEvent> samples, CdnRegistrySnapshot registry, CancellationToken cancellationToken)
    {
        using (var producer = clients.CreateProducer(Serializers.Utf8, clients.CreateSpecificRecordSerializer()))
        {
            foreach (var sample in samples)
            {
                producer.Produce(Topics.CdnTraffic, new Message<string, Avro.Specific.ISpecificRecord> { Key = sample.Key, Value = sample.Value, Timestamp = new Timestamp(sample.Timestamp) });
            }

            producer.Flush(cancellationToken);
        }

        var serdes = new AvroSerdes(clients.SchemaRegistry);
        var topology = PipelineTopologies.BuildCdnCaps(serdes, registry, new() { ApplicationId = $"bench-caps-{Guid.NewGuid():N}"[..20] });
        await using var streams = new KafkaStreams(topology, clients, provisioner, new KafkaStreamsOptions { CommitInterval = TimeSpan.FromSeconds(1) });
        await streams.StartAsync(cancellationToken).ConfigureAwait(false);
        using var self = Process.GetCurrentProcess();
        var cpuAtStart = self.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        while (streams.ProcessedRecords < samples.Count)
        {
            if (streams.Completion.IsCompleted)
            {
                await streams.Completion.ConfigureAwait(false);
                throw new InvalidOperationException($"CdnCapWindows stopped after {streams.ProcessedRecords:N0} of {samples.Count:N0} samples.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(10), cancellationToken).ConfigureAwait(false);
        }

        watch.Stop();
        self.Refresh();
        var cpu = self.TotalProcessorTime - cpuAtStart;
        await streams.StopAsync().ConfigureAwait(false);

        var deserializer = clients.CreateAvroDeserializer<CdnCapDecision>();
        var decisions = TopicReader.ReadAll(clients, Topics.CdnCaps)
            .Select(r => deserializer.Deserialize(r.Value, isNull: false, new SerializationContext(MessageComponentType.Value, Topics.CdnCaps)))
            .Select(d => new Decision(
                d.customerId,
                (int)(d.windowEnd - d.windowStart).TotalMinutes,
                new DateTimeOffset(DateTime.SpecifyKind(d.windowStart, DateTimeKind.Utc)).ToUnixTimeMilliseconds(),
                d.totalBytes,
                d.sourceEventIds[0]))
            .ToList();
        Console.WriteLine($"runtime: {samples.Count:N0} samples in {watch.Elapsed.TotalSeconds:F2} s, {decisions.Count} decisions");
        return new EngineResult("runtime", watch.Elapsed.TotalSeconds, cpu.TotalSeconds, decisions);
    }

    private static async Task<EngineResult> RunStreamizAsync(KafkaClientFactory clients, ITopicProvisioner provisioner, List<SimulatedEvent> samples, int partitions, string store, string streamizDll, CancellationToken cancellationToken)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var input = $"bench.caps.{run}.streamiz.in";
        var applicationId = $"bench-caps-streamiz-{run}";
        await provisioner.EnsureTopicsAsync(
            [new TopicSpec(input, partitions), .. StreamizStores.Select(s => new TopicSpec($"{applicationId}-{s}-changelog", partitions))],
            cancellationToken).ConfigureAwait(false);

        // The same samples, same keys and publish timestamps, as periodStartMs|bytes|eventId.
        using (var producer = clients.CreateProducer(Serializers.Utf8, Serializers.Utf8))
        {
            foreach (var sample in samples)
            {
                var traffic = (CdnTraffic)sample.Value;
                var periodStart = new DateTimeOffset(DateTime.SpecifyKind(traffic.periodStart, DateTimeKind.Utc)).ToUnixTimeMilliseconds();
                producer.Produce(input, new Message<string, string> { Key = sample.Key, Value = FormattableString.Invariant($"{periodStart}|{traffic.bytes}|{traffic.eventId}"), Timestamp = new Timestamp(sample.Timestamp) });
            }

            producer.Flush(cancellationToken);
        }

        var stateDir = Directory.CreateTempSubdirectory("streambilling-streamiz-caps-");
        try
        {
            var lines = await StreamizChild.RunAsync(streamizDll, "caps", new Dictionary<string, string>
            {
                ["bootstrap"] = clients.Cluster.BootstrapServers,
                ["input"] = input,
                ["application-id"] = applicationId,
                ["store"] = store,
                ["records"] = samples.Count.ToString(CultureInfo.InvariantCulture),
                ["commit-ms"] = "1000",
                ["state-dir"] = stateDir.FullName,
            }, cancellationToken).ConfigureAwait(false);
            var result = StreamizResult.Parse(lines);
            var decisions = lines.Where(l => l.StartsWith("decision ", StringComparison.Ordinal))
                .Select(l => l.Split(' '))
                .Select(f => new Decision(f[1], int.Parse(f[2], CultureInfo.InvariantCulture), long.Parse(f[3], CultureInfo.InvariantCulture), long.Parse(f[4], CultureInfo.InvariantCulture), f[5]))
                .ToList();
            Console.WriteLine($"streamiz-{store}: {samples.Count:N0} samples in {result.Seconds:F2} s, {decisions.Count} decisions, child peak working set {result.PeakWorkingSetMib:N0} MiB");
            return new EngineResult($"streamiz-{store}", result.Seconds, result.CpuSeconds, decisions);
        }
        finally
        {
            stateDir.Delete(recursive: true);
        }
    }

    /// <summary>Decisions only one engine made, or made with another total or crossing sample.</summary>
    private static List<string> Compare(EngineResult ours, EngineResult streamiz)
    {
        var mine = ours.Decisions.ToDictionary(d => (d.Customer, d.CapMinutes, d.WindowStartMs));
        var theirs = streamiz.Decisions.ToDictionary(d => (d.Customer, d.CapMinutes, d.WindowStartMs));
        var differences = new List<string>();
        foreach (var (key, decision) in mine)
        {
            if (!theirs.TryGetValue(key, out var other))
            {
                differences.Add($"{decision} only on {ours.Name}");
            }
            else if (other != decision)
            {
                differences.Add($"{decision} on {ours.Name}, {other} on {streamiz.Name}");
            }
        }

        differences.AddRange(theirs.Where(t => !mine.ContainsKey(t.Key)).Select(t => $"{t.Value} only on {streamiz.Name}"));
        return differences;
    }

    /// <summary>One cap decision: the window that crossed first in a burst, its total at the crossing and the crossing sample.</summary>
    private sealed record Decision(string Customer, int CapMinutes, long WindowStartMs, long TotalBytes, string EventId);

    private sealed record EngineResult(string Name, double Seconds, double CpuSeconds, List<Decision> Decisions);
}
