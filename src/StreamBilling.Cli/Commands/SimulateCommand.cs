using System.CommandLine;
using System.Diagnostics;
using Confluent.Kafka;
using StreamBilling.Contracts;
using StreamBilling.Kafka;
using StreamBilling.Simulation;

namespace StreamBilling.Cli.Commands;

/// <summary><c>streambilling simulate</c>: publishes the usage simulator's events to Kafka as Avro, with a live progress display.</summary>
internal sealed class SimulateCommand : ICliCommand
{
    private static readonly TimeSpan FinalFlushTimeout = TimeSpan.FromSeconds(30);

    public Command Create()
    {
        var customers = new Option<int>("--customers") { Description = "Simulated customers.", DefaultValueFactory = _ => 10 };
        var rate = new Option<double>("--rate") { Description = "Target events per second (0 = as fast as the cluster takes them).", DefaultValueFactory = _ => 2000 };
        var duration = new Option<TimeSpan>("--duration")
        {
            Description = "Simulated time to generate usage for (30m, 6h, 1d, ...); the run ends when all of it is published.",
            DefaultValueFactory = _ => TimeSpan.FromDays(1),
            CustomParser = DurationArgument.Parse,
        };
        var seed = new Option<int>("--seed") { Description = "Random seed: the same options give the same events.", DefaultValueFactory = _ => 1 };
        var start = new Option<DateTimeOffset?>("--start") { Description = "Start of simulated time (UTC). Default: the duration before now, so record timestamps are recent." };
        var runFor = new Option<TimeSpan?>("--run-for")
        {
            Description = "Stop after this much wall-clock time even if events remain (30s, 5m, ...).",
            CustomParser = r => DurationArgument.Parse(r),
        };
        var bootstrap = new Option<string?>("--bootstrap-servers") { Description = "Kafka to publish to (e.g. the address `streambilling broker` prints). Default: an embedded cluster inside this process." };
        var registry = new Option<string?>("--schema-registry-url") { Description = "Schema Registry URL. Default: an in-memory registry." };
        var groups = new Option<string[]>("--back-pressure-group")
        {
            Description = "Consumer group to wait for when it lags more than Kafka:MaxLagPerPartition records (repeatable).",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("simulate", "Publish simulated usage (EC2, CDN bursts, S3, DynamoDB, media, Elastic IP) to Kafka as Avro at a target rate.")
        {
            customers, rate, duration, seed, start, runFor, bootstrap, registry, groups,
        };
        command.SetAction((ParseResult pr, CancellationToken ct) =>
        {
            var simulatedDuration = pr.GetValue(duration);
            var options = new SimulationOptions
            {
                Customers = pr.GetValue(customers),
                Seed = pr.GetValue(seed),
                Duration = simulatedDuration,
                Start = pr.GetValue(start)?.ToUniversalTime() ?? DefaultStart(simulatedDuration),
            };
            var settings = new Settings(options, pr.GetValue(rate), pr.GetValue(runFor), pr.GetValue(bootstrap), pr.GetValue(registry), pr.GetValue(groups) ?? []);
            return RunAsync(settings, ct);
        });
        return command;
    }

    /// <summary>Simulated time ends now (on a whole minute), so a real cluster's time-based retention keeps the records.</summary>
    private static DateTimeOffset DefaultStart(TimeSpan duration)
    {
        var now = TimeProvider.System.GetUtcNow();
        var minute = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
        return minute - duration;
    }

    private static async Task<int> RunAsync(Settings settings, CancellationToken cancellationToken)
    {
        UsageSimulator simulator;
        try
        {
            simulator = new UsageSimulator(settings.Simulation);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 1;
        }

        await using var kafka = await KafkaSession.StartAsync(settings.BootstrapServers, settings.SchemaRegistryUrl, Topics.AllWithDeadLetters(), cancellationToken);
        using var publisher = kafka.Clients.CreateRecordPublisher(settings.BackPressureGroups);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (settings.RunFor is { } limit)
        {
            stop.CancelAfter(limit);
        }

        var where = kafka.Cluster.IsEmbedded ? "embedded cluster (in this process; gone when it exits)" : kafka.Cluster.BootstrapServers;
        Console.WriteLine($"simulating {settings.Simulation.Customers} customers, {settings.Simulation.Duration} of usage from {settings.Simulation.Start:u}, seed {settings.Simulation.Seed}, into {where}");
        var progress = new SimulationProgress(publisher);
        var clock = Stopwatch.StartNew();
        var publishing = PublishAsync(simulator.Generate(), settings.EventsPerSecond, publisher, progress, stop.Token);
        await progress.ShowUntilAsync(publishing, clock);

        bool completed;
        try
        {
            completed = await publishing;
        }
        catch (KafkaException e)
        {
            await Console.Error.WriteLineAsync("publishing failed: " + e.Message);
            return 1;
        }

        using var flushTimeout = new CancellationTokenSource(FinalFlushTimeout);
        publisher.Flush(flushTimeout.Token);
        progress.PrintSummary(clock.Elapsed, completed ? "all events published" : "stopped before the end of the simulation");
        return 0;
    }

    /// <summary>Publishes until the events run out (true) or <paramref name="cancellationToken"/> fires (false).</summary>
    private static async Task<bool> PublishAsync(IEnumerable<SimulatedEvent> events, double eventsPerSecond, RecordPublisher publisher, SimulationProgress progress, CancellationToken cancellationToken)
    {
        // Off the caller's thread: the generator and the serializers are CPU work the display must not wait for.
        await Task.Yield();
        try
        {
            var paced = eventsPerSecond > 0 ? new EventPacer(TimeProvider.System, eventsPerSecond).PaceAsync(events, cancellationToken) : events.ToAsyncEnumerable();
            await foreach (var e in paced.WithCancellation(cancellationToken))
            {
                await publisher.PublishAsync(e.Topic, e.Key, e.Value, e.Timestamp, cancellationToken);
                progress.Enqueued();
            }

            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private sealed record Settings(SimulationOptions Simulation, double EventsPerSecond, TimeSpan? RunFor, string? BootstrapServers, string? SchemaRegistryUrl, IReadOnlyCollection<string> BackPressureGroups);
}
