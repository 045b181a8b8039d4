using System.Diagnostics;
using System.Globalization;
using Npgsql;
using StreamBilling.Contracts;
using StreamBilling.Kafka;
using StreamBilling.Simulation;
using StreamBilling.Storage;
using StreamBilling.Storage.ApiKeys;

namespace StreamBilling.Cli.Commands.Chaos;

/// <summary>One run's outcome.</summary>
/// <param name="Name">clean or kill.</param>
/// <param name="Snapshot">Its outputs.</param>
/// <param name="Kills">SIGKILLs that landed while the host was behind.</param>
/// <param name="FinalExitCode">The last host's exit code after SIGTERM.</param>
/// <param name="Elapsed">From the first host start to the last host's stop.</param>
/// <param name="LogPath">The hosts' console output.</param>
/// <param name="ApiAnswers">What each host's API answered once the run had caught up, by host name.</param>
internal sealed record ChaosRunResult(string Name, ChaosSnapshot Snapshot, int Kills, int FinalExitCode, TimeSpan Elapsed, string LogPath, IReadOnlyList<(string Host, ChaosSnapshot Answers)> ApiAnswers);

/// <summary>A failure that ends the chaos run (the host died by itself, or did not catch up in time).</summary>
internal sealed class ChaosRunException(string message) : Exception(message);

/// <summary>
/// Runs one or more hosts over one fresh broker: the broker lives in this process (killing a host leaves it running), the
/// input is published while the hosts run (at rate 0 in stages: the first before they start, each next one once they have
/// read all before it), a seeded host is killed with SIGKILL at seeded moments while they are behind and restarted, and
/// once every consumer group has committed everything and nothing more is produced, each host's API is asked about every
/// customer, the hosts are stopped with SIGTERM and the outputs are read.
/// </summary>
internal sealed class ChaosRunner(string hostDll, ChaosSettings settings, TextWriter log)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(60);
    // Longest wait before a kill after publishing a stage to hosts that had caught up: well under their commit interval (1 s).
    private static readonly TimeSpan RetryKillDelay = TimeSpan.FromMilliseconds(300);
    private const int QuietPolls = 6;

    public async Task<ChaosRunResult> RunAsync(string name, IReadOnlyList<SimulatedEvent> events, int kills, int instances, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(settings.WorkDirectory.FullName, name);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Timeout);
        var ct = timeout.Token;
        var random = new Random(settings.KillSeed);
        // A fresh embedded broker per run; a real cluster (exactly-once) is wiped of StreamBilling's topics and groups instead.
        using var broker = settings.Cluster is null ? EmbeddedBroker.Start(1, Topics.AllWithDeadLetters(), Path.Combine(folder, ".streambilling", "broker.address")) : null;
        var bootstrapServers = broker?.BootstrapServers ?? settings.Cluster!.BootstrapServers;
        if (settings.Cluster is not null)
        {
            await RealClusterWipe.WipeAsync(bootstrapServers, m => Log($"{name}: {m}"), ct);
        }

        await using var kafka = await KafkaSession.StartAsync(bootstrapServers, settings.Cluster?.SchemaRegistryUrl, broker is null ? Topics.AllWithDeadLetters() : [], ct);
        var groups = PipelineLag.HostGroups(bootstrapServers);
        using var lag = PipelineLag.Watch(kafka.Clients, groups);
        var store = Path.Combine(folder, "usage.duckdb");
        var logPath = Path.Combine(folder, "host.log");
        var operatorKey = new ApiKeyFile(Path.Combine(folder, "api-keys.json")).Create(ApiKeyRole.Operator, null, "chaos").Key;
        var hostSettings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Kafka:BootstrapServers"] = bootstrapServers,
            ["Api:Access:KeyFile"] = Path.Combine(folder, "api-keys.json"),
        };
        if (settings.Cluster?.SchemaRegistryUrl is { } registry)
        {
            hostSettings["SchemaRegistry:Url"] = registry;
        }

        if (settings.MonthCloseGrace is { } grace)
        {
            hostSettings["Pipeline:Invoices:MonthCloseGrace"] = grace.ToString("c", CultureInfo.InvariantCulture);
        }

        var postgres = settings.StoreConnection is { } server ? await FreshSchemaAsync(server, name, ct) : null;
        if (postgres is null)
        {
            hostSettings["Storage:DuckDbPath"] = store;
        }
        else
        {
            hostSettings["Storage:Provider"] = "Postgres";
            hostSettings["Storage:ConnectionString"] = postgres;
            Log($"{name}: store in PostgreSQL, {UsageStores.DescribePostgres(postgres)}");
        }

        // The simulated customers' CDN registry, in the store before any host reads it, so their bursts are capped.
        await using (var registryStore = await UsageStores.OpenAsync(postgres is null ? UsageStoreProvider.DuckDb : UsageStoreProvider.Postgres, store, postgres, ct))
        {
            var customers = new UsageSimulator(settings.Simulation).Customers;
            await registryStore.UpsertDistributionsAsync([.. customers.Select(c => c.Distribution)], TimeProvider.System.GetUtcNow(), ct);
        }

        Task publishing;
        // At rate 0 the input goes in stages, each next one once the hosts have read all before it, so that a kill which
        // finds them caught up can give them new work first. Both runs stage it alike (same barriers between stages).
        IReadOnlyList<IReadOnlyList<SimulatedEvent>> stages = settings.EventsPerSecond <= 0 ? InputStages.Split(events, settings.Kills + 1) : [];
        var published = 0;
        async Task<bool> PublishNextStageAsync()
        {
            if (published == stages.Count)
            {
                return false;
            }

            var stage = stages[published++];
            await PublishAsync(kafka, stage, [], 0, $"{name}: published stage {published}/{stages.Count}: {stage.Count:N0} events", ct);
            return true;
        }

        if (settings.EventsPerSecond <= 0)
        {
            await PublishNextStageAsync();
            publishing = Task.CompletedTask;
        }
        else
        {
            // While the host runs (and is killed): the publisher waits while the host's groups lag, so the broker's
            // newest-5-MB-per-partition limit never drops usage the host has not read.
            publishing = Task.Run(() => PublishAsync(kafka, events, [.. groups.Select(g => new BackPressureGroup(g.Group, g.Topics.ToHashSet(StringComparer.Ordinal)))], settings.EventsPerSecond, $"published {events.Count:N0} events", ct), ct);
        }

        var clock = Stopwatch.StartNew();
        // Each instance its own working folder (state directories) and a static instance id, as two machines would have.
        var names = instances == 1 ? ["host"] : Enumerable.Range(0, instances).Select(i => ((char)('a' + i)).ToString()).ToArray();
        HostProcess StartHost(string host)
        {
            var workDirectory = Path.Combine(folder, host);
            Directory.CreateDirectory(workDirectory);
            return HostProcess.Start(hostDll, workDirectory, new Dictionary<string, string>(hostSettings) { ["Streams:InstanceId"] = host }, logPath);
        }

        var hosts = names.Select(StartHost).ToArray();
        var landed = 0;
        var exitCode = 0;
        var answers = new List<(string Host, ChaosSnapshot Answers)>();
        try
        {
            for (var i = 1; i <= kills; i++)
            {
                var (behindAtStart, committedAtStart, _) = await lag.MeasureAsync();
                if (behindAtStart == 0)
                {
                    // Publishing changes no committed offset, so the progress wait below still starts from this reading.
                    await PublishNextStageAsync();
                }

                // A host restarted with nothing left to read commits nothing new: caught up ends the wait too.
                await WaitUntilAsync(
                    hosts,
                    async () => await lag.MeasureAsync() is var now && (now.Committed > committedAtStart || now.Lag == 0),
                    "make progress after its start",
                    ct);
                var delay = TimeSpan.FromMilliseconds(random.Next(250, (int)Math.Max(251, settings.MaxKillDelay.TotalMilliseconds)));
                var since = "progress";
                await Task.Delay(delay, ct);
                var (behind, _, _) = await lag.MeasureAsync();
                while (behind == 0 && await PublishNextStageAsync())
                {
                    // Caught up within the delay (a fast machine reads a backlog in about a second): the running host reads
                    // the new stage at once and commits once a second, so a kill within a fraction of that finds it uncommitted.
                    delay = TimeSpan.FromMilliseconds(random.Next(50, (int)RetryKillDelay.TotalMilliseconds));
                    since = $"stage {published}/{stages.Count} was published";
                    await Task.Delay(delay, ct);
                    (behind, _, _) = await lag.MeasureAsync();
                }

                if (behind == 0)
                {
                    Log($"{name}: kill {i} not done: the hosts caught up within {delay.TotalSeconds:0.0} s");
                    break;
                }

                var victim = random.Next(hosts.Length);
                ThrowIfExited(hosts);
                await hosts[victim].KillAsync(ct);
                landed++;
                Log($"{name}: kill {i} (SIGKILL{(hosts.Length > 1 ? " of host " + names[victim] : string.Empty)}) at {clock.Elapsed.TotalSeconds:0.0} s, {delay.TotalSeconds:0.00} s after {since}, {behind:N0} records behind; restarting");
                hosts[victim].Dispose();
                hosts[victim] = StartHost(names[victim]);
            }

            // The stages the kills did not need, each once the hosts have read everything before it.
            while (published < stages.Count)
            {
                await WaitUntilAsync(hosts, async () => (await lag.MeasureAsync()).Lag == 0, $"read stage {published}/{stages.Count}", ct);
                await PublishNextStageAsync();
            }

            await WaitUntilAsync(hosts, () => Task.FromResult(publishing.IsCompleted), "read all published usage", ct);
            await publishing;
            await WaitUntilCaughtUpAsync(hosts, lag, ct);
            Log($"{name}: caught up after {clock.Elapsed.TotalSeconds:0.0} s; asking the API{(hosts.Length > 1 ? "s" : string.Empty)}, then stopping (SIGTERM)");
            var customers = new UsageSimulator(settings.Simulation).Customers.Select(c => c.CustomerId).ToList();
            for (var i = 0; i < hosts.Length; i++)
            {
                answers.Add((names[i], await ApiAnswers.ReadAsync(await hosts[i].ApiAddress.WaitAsync(ct), operatorKey, customers, ct)));
            }

            foreach (var host in hosts)
            {
                exitCode = Math.Max(exitCode, Math.Abs(await host.StopAsync(StopTimeout, ct)));
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ChaosRunException(
                $"the {name} run did not finish within {settings.Timeout}; {await lag.DescribeLagAsync()} (log: {logPath}, its end:{Environment.NewLine}{LogTail(logPath, 20)})");
        }
        finally
        {
            foreach (var host in hosts)
            {
                host.Dispose();
            }

            if (!publishing.IsCompleted)
            {
                // The run failed: stop publishing before the broker goes; the failure itself is what is reported.
                await timeout.CancelAsync();
                await publishing.ContinueWith(static _ => { }, TaskScheduler.Default);
            }
        }

        var snapshot = await ChaosSnapshot.ReadAsync(store, postgres, kafka.Clients, ct);
        return new ChaosRunResult(name, snapshot, landed, exitCode, clock.Elapsed, logPath, answers);
    }

    /// <summary>A new, empty schema on <paramref name="server"/> for one run; the connection string that uses it.</summary>
    private static async Task<string> FreshSchemaAsync(string server, string run, CancellationToken ct)
    {
        var schema = $"chaos_{run}_{Guid.NewGuid().ToString("N")[..8]}";
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand($"CREATE SCHEMA {schema}", connection);
            await command.ExecuteNonQueryAsync(ct);
        }

        return new NpgsqlConnectionStringBuilder(server) { SearchPath = schema }.ConnectionString;
    }

    /// <summary>
    /// Publishes <paramref name="events"/> at <paramref name="eventsPerSecond"/> (0: as fast as the broker takes them), then
    /// logs <paramref name="what"/> with the time it took.
    /// </summary>
    private async Task PublishAsync(KafkaSession kafka, IReadOnlyList<SimulatedEvent> events, IReadOnlyCollection<BackPressureGroup> backPressure, double eventsPerSecond, string what, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        using var publisher = kafka.Clients.CreateRecordPublisher(backPressure);
        var paced = eventsPerSecond > 0 ? new EventPacer(TimeProvider.System, eventsPerSecond).PaceAsync(events, ct) : events.ToAsyncEnumerable();
        await foreach (var e in paced.WithCancellation(ct))
        {
            await publisher.PublishAsync(e.Topic, e.Key, e.Value, e.Timestamp, ct);
        }

        publisher.Flush(ct);
        Log($"{what} in {clock.Elapsed.TotalSeconds:0.0} s");
    }

    /// <summary>Every group committed everything it reads, and nothing new was produced, over several polls in a row.</summary>
    private static async Task WaitUntilCaughtUpAsync(HostProcess[] hosts, PipelineLag lag, CancellationToken ct)
    {
        var quiet = 0;
        long produced = -1;
        while (quiet < QuietPolls)
        {
            ThrowIfExited(hosts);
            await Task.Delay(PollInterval, ct);
            var now = await lag.MeasureAsync();
            quiet = now.Lag == 0 && now.Produced == produced ? quiet + 1 : 0;
            produced = now.Produced;
        }
    }

    private static async Task WaitUntilAsync(HostProcess[] hosts, Func<Task<bool>> condition, string what, CancellationToken ct)
    {
        while (!await condition())
        {
            ThrowIfExited(hosts, what);
            await Task.Delay(PollInterval, ct);
        }
    }

    private static void ThrowIfExited(HostProcess[] hosts, string? waitingFor = null)
    {
        if (hosts.FirstOrDefault(h => h.HasExited) is { } host)
        {
            throw new ChaosRunException(string.Create(
                CultureInfo.InvariantCulture,
                $"the host (process {host.Id}) exited by itself with code {host.ExitCode}{(waitingFor is null ? string.Empty : " before it could " + waitingFor)}"));
        }
    }

    private void Log(string line) => log.WriteLine(line);

    private static string LogTail(string path, int lines)
    {
        try
        {
            using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
            var tail = new Queue<string>(lines);
            while (reader.ReadLine() is { } line)
            {
                if (tail.Count == lines)
                {
                    tail.Dequeue();
                }

                tail.Enqueue(line);
            }

            return string.Join(Environment.NewLine, tail);
        }
        catch (IOException e)
        {
            return e.Message;
        }
    }
}
