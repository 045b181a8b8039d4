using System.CommandLine;
using System.Globalization;
using StreamBilling.Simulation;

namespace StreamBilling.Cli.Commands.Chaos;

/// <summary>
/// <c>streambilling chaos</c>: the kill test. Runs the host as a child process against a broker held by this process over a
/// seeded simulation, twice: once clean, once killed with SIGKILL at seeded moments while it is behind and restarted each
/// time; then compares the money outputs (latest invoices, rollups, priced lines, cap decisions, CDN statuses, dead letters
/// and late records) and exits 1 when they differ.
/// </summary>
internal sealed class ChaosCommand : ICliCommand
{
    public Command Create()
    {
        var customers = new Option<int>("--customers") { Description = "Simulated customers.", DefaultValueFactory = _ => 30 };
        var days = new Option<double>("--days") { Description = "Simulated days of usage.", DefaultValueFactory = _ => 3 };
        var seed = new Option<int>("--seed") { Description = "Simulation seed.", DefaultValueFactory = _ => 1 };
        var start = new Option<DateTimeOffset>("--start")
        {
            Description = "Start of simulated time (UTC).",
            DefaultValueFactory = _ => new DateTimeOffset(2024, 7, 27, 0, 0, 0, TimeSpan.Zero),
        };
        var rate = new Option<double>("--rate")
        {
            Description = "Events per second published while the host runs (and is killed); 0 publishes them as fast as possible in --kills + 1 stages, the first before the host starts, each next one once the host has read all before it (or when a kill finds it caught up).",
            DefaultValueFactory = _ => 4000,
        };
        var kills = new Option<int>("--kills") { Description = "SIGKILLs of the host while it is behind (each followed by a restart).", DefaultValueFactory = _ => 5 };
        var killSeed = new Option<int?>("--kill-seed") { Description = "Seed of the kill moments (default: --seed)." };
        var maxKillDelay = new Option<TimeSpan>("--max-kill-delay")
        {
            Description = "Longest wait after a (re)started host makes progress before it is killed (the wait is seeded-random up to this).",
            DefaultValueFactory = _ => TimeSpan.FromSeconds(8),
            CustomParser = DurationArgument.Parse,
        };
        var timeout = new Option<TimeSpan>("--timeout")
        {
            Description = "Longest time one run (clean or kill) may take before the command gives up.",
            DefaultValueFactory = _ => TimeSpan.FromMinutes(20),
            CustomParser = DurationArgument.Parse,
        };
        var host = new Option<string?>("--host") { Description = "StreamBilling.Host.dll to run (default: the build output of this repository's host)." };
        var work = new Option<DirectoryInfo>("--work")
        {
            Description = "Folder for each run's store, host log and state directories (its clean/ and kill/ subfolders are replaced).",
            DefaultValueFactory = _ => new DirectoryInfo(Path.Combine(".streambilling", "chaos")),
        };
        var instances = new Option<int>("--instances")
        {
            Description = "Hosts in the kill run, sharing the broker's consumer groups and one store (the clean run has one); a kill hits one of them.",
            DefaultValueFactory = _ => 1,
        };
        var storeConnection = new Option<string?>("--store-connection")
        {
            Description = "PostgreSQL server (Npgsql connection string) both runs store into, each in a fresh schema; needed for --instances above 1. Default: a DuckDB file per run.",
        };
        var monthCloseGrace = new Option<TimeSpan?>("--month-close-grace")
        {
            Description = "The hosts' month-close grace (Pipeline:Invoices:MonthCloseGrace; default the host's, 3 days): shorter, so that a short run across a month end closes the month and its final invoices are compared.",
            CustomParser = r => DurationArgument.Parse(r),
        };
        var bootstrapServers = new Option<string?>("--bootstrap-servers")
        {
            Description = "A real Kafka cluster (HOST:PORT) to run both runs on, exactly-once with transactions, instead of a fresh embedded broker per run; needs --schema-registry and --wipe.",
        };
        var schemaRegistry = new Option<string?>("--schema-registry") { Description = "The real cluster's Schema Registry URL." };
        var wipe = new Option<bool>("--wipe") { Description = "Consent to delete StreamBilling's topics and consumer groups on --bootstrap-servers before each run (use a cluster of its own)." };
        var command = new Command("chaos", "Kill test: the host as a child process, killed with SIGKILL mid-stream and restarted, compared with a clean run of the same seeded input.")
        {
            customers, days, seed, start, rate, kills, killSeed, maxKillDelay, timeout, host, work, instances, storeConnection, monthCloseGrace, bootstrapServers, schemaRegistry, wipe,
        };
        command.SetAction((ParseResult pr, CancellationToken ct) =>
        {
            var simulation = new SimulationOptions
            {
                Customers = pr.GetValue(customers),
                Seed = pr.GetValue(seed),
                Start = pr.GetValue(start).ToUniversalTime(),
                Duration = TimeSpan.FromDays(pr.GetValue(days)),
            };
            var settings = new ChaosSettings(
                simulation,
                pr.GetValue(rate),
                pr.GetValue(kills),
                pr.GetValue(killSeed) ?? pr.GetValue(seed),
                pr.GetValue(maxKillDelay),
                pr.GetValue(timeout),
                pr.GetValue(host),
                pr.GetValue(work)!,
                pr.GetValue(instances),
                pr.GetValue(storeConnection),
                pr.GetValue(monthCloseGrace),
                pr.GetValue(bootstrapServers) is { } servers ? new ChaosCluster(servers, pr.GetValue(schemaRegistry) ?? string.Empty) : null);
            if (settings.Cluster is { } cluster && (cluster.SchemaRegistryUrl.Length == 0 || !pr.GetValue(wipe)))
            {
                pr.InvocationConfiguration.Error.WriteLine("--bootstrap-servers needs --schema-registry URL and --wipe: both runs start from a cluster without StreamBilling's topics and groups, so the command deletes them there first.");
                return Task.FromResult(2);
            }

            return RunAsync(settings, pr.InvocationConfiguration.Output, pr.InvocationConfiguration.Error, ct);
        });
        return command;
    }

    private static async Task<int> RunAsync(ChaosSettings settings, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (HostProcess.FindHostDll(settings.HostDll) is not { } hostDll)
        {
            await stderr.WriteLineAsync(settings.HostDll is null
                ? "StreamBilling.Host.dll not found: build it (dotnet build src/StreamBilling.Host) or pass --host PATH."
                : $"--host {settings.HostDll}: no such file.");
            return 2;
        }

        if (settings.Kills < 0)
        {
            await stderr.WriteLineAsync("--kills must not be negative.");
            return 2;
        }

        if (settings.Instances is < 1 or > 8)
        {
            await stderr.WriteLineAsync("--instances must be 1 to 8.");
            return 2;
        }

        if (settings.Instances > 1 && settings.StoreConnection is null)
        {
            // Hosts on separate DuckDB files would each hold part of the data: several instances need a server store.
            await stderr.WriteLineAsync("--instances above 1 needs --store-connection (a PostgreSQL server the hosts share); the DuckDB store is one process's file.");
            return 2;
        }

        UsageSimulator simulator;
        try
        {
            simulator = new UsageSimulator(settings.Simulation);
        }
        catch (ArgumentException e)
        {
            await stderr.WriteLineAsync(e.Message);
            return 2;
        }

        IReadOnlyList<SimulatedEvent> events = [.. simulator.Generate()];
        stdout.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"chaos: {events.Count:N0} events ({settings.Simulation.Customers} customers, {settings.Simulation.Duration.TotalDays:0.##} days from {settings.Simulation.Start:u}, seed {settings.Simulation.Seed}) at {(settings.EventsPerSecond > 0 ? settings.EventsPerSecond.ToString("N0", CultureInfo.InvariantCulture) + " events/s while the host runs" : $"full speed in {settings.Kills + 1} stage(s), the first before the host starts")}; {(settings.Cluster is { } cluster ? $"on the cluster at {cluster.BootstrapServers} (exactly-once, wiped before each run)" : "a fresh embedded broker per run (at-least-once)")}; host {hostDll}"));
        var runner = new ChaosRunner(hostDll, settings, stdout);
        try
        {
            var clean = await runner.RunAsync("clean", events, kills: 0, instances: 1, cancellationToken);
            var killed = await runner.RunAsync("kill", events, settings.Kills, settings.Instances, cancellationToken);
            return Report(clean, killed, settings, stdout);
        }
        catch (ChaosRunException e)
        {
            await stderr.WriteLineAsync("chaos: " + e.Message);
            return 1;
        }
    }

    private static int Report(ChaosRunResult clean, ChaosRunResult killed, ChaosSettings settings, TextWriter stdout)
    {
        const int ExamplesPerCategory = 20;
        var differences = ChaosComparison.Compare(killed.Snapshot, clean.Snapshot).ToList();
        // Every API of the kill run must answer what the clean run's API answered: complete data from any instance.
        var cleanAnswers = clean.ApiAnswers.Single().Answers;
        foreach (var (hostName, answers) in killed.ApiAnswers)
        {
            differences.AddRange(ChaosComparison.Compare(answers, cleanAnswers).Select(d => d with { Category = $"API of {hostName}: {d.Category}" }));
        }

        stdout.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"compared: {cleanAnswers.Invoices.Count} invoices and {cleanAnswers.CdnStatuses.Count} CDN statuses from the API of each of {killed.ApiAnswers.Count} host(s); {clean.Snapshot.Invoices.Count} invoices ({clean.Snapshot.Invoices.Values.Count(i => (string?)i["status"] == "Final")} final), {clean.Snapshot.Rollups.Count} rollups, {clean.Snapshot.CdnUsageMessages.Count} CDN usage messages, {clean.Snapshot.PricedLines.Count} priced lines, {clean.Snapshot.CapDecisions.Count} cap decisions, {clean.Snapshot.CdnStatuses.Count} CDN statuses, {clean.Snapshot.DeadLetters.Values.Sum(d => d.Count)} dead letters and late records (clean run)"));
        foreach (var truncated in killed.Snapshot.TruncatedTopics.Union(clean.Snapshot.TruncatedTopics).Order(StringComparer.Ordinal))
        {
            stdout.WriteLine($"warning: {truncated} lost its oldest records in the broker (newest ~5 MB per partition); its comparison is incomplete");
        }

        foreach (var category in differences.GroupBy(d => d.Category, StringComparer.Ordinal))
        {
            var note = category.First().VariesBetweenCleanRuns ? " (not counted: two clean runs differ in these too, with no money in them)" : string.Empty;
            stdout.WriteLine($"{category.Key}: {category.Count()} difference(s){note}");
            foreach (var difference in category.Take(ExamplesPerCategory))
            {
                stdout.WriteLine($"  {difference.Key}: {difference.Detail}");
            }

            if (category.Count() > ExamplesPerCategory)
            {
                stdout.WriteLine($"  ... {category.Count() - ExamplesPerCategory} more");
            }
        }

        var problems = new List<string>();
        if (killed.Kills < settings.Kills)
        {
            problems.Add($"only {killed.Kills} of {settings.Kills} kills landed while the host was behind");
        }

        foreach (var run in new[] { clean, killed }.Where(r => r.FinalExitCode != 0))
        {
            problems.Add($"the {run.Name} run's host exited with {run.FinalExitCode} when stopped (log: {run.LogPath})");
        }

        var counted = differences.Count(d => !d.VariesBetweenCleanRuns);
        stdout.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"chaos: {counted} difference(s) after {killed.Kills} kill(s) ({differences.Count - counted} not counted); clean run {clean.Elapsed.TotalSeconds:0} s, kill run {killed.Elapsed.TotalSeconds:0} s{(problems.Count > 0 ? "; " + string.Join("; ", problems) : string.Empty)}"));
        return counted == 0 && problems.Count == 0 ? 0 : 1;
    }
}
