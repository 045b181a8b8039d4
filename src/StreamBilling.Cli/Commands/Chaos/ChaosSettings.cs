using StreamBilling.Simulation;

namespace StreamBilling.Cli.Commands.Chaos;

/// <summary>What <c>streambilling chaos</c> runs.</summary>
/// <param name="Simulation">The seeded usage both runs receive.</param>
/// <param name="EventsPerSecond">Publishing rate while the host runs; 0 publishes at full speed in <c>Kills + 1</c> stages, the first before the host starts.</param>
/// <param name="Kills">SIGKILLs in the kill run.</param>
/// <param name="KillSeed">Seed of the kill moments.</param>
/// <param name="MaxKillDelay">Longest seeded wait, after a (re)started host makes progress, before it is killed.</param>
/// <param name="Timeout">Longest time one run may take.</param>
/// <param name="HostDll">The host to run, or null for this repository's build output.</param>
/// <param name="WorkDirectory">Where the runs keep their files.</param>
/// <param name="Instances">Hosts in the kill run, one group per application across them (the clean run has one).</param>
/// <param name="StoreConnection">A PostgreSQL server both runs store into (a fresh schema each), or null for a DuckDB file per run.</param>
/// <param name="MonthCloseGrace">The hosts' <c>Pipeline:Invoices:MonthCloseGrace</c>, or null for the host's default.</param>
/// <param name="Cluster">A real cluster to run on (exactly-once; wiped before each run), or null for a fresh embedded broker per run.</param>
internal sealed record ChaosSettings(
    SimulationOptions Simulation,
    double EventsPerSecond,
    int Kills,
    int KillSeed,
    TimeSpan MaxKillDelay,
    TimeSpan Timeout,
    string? HostDll,
    DirectoryInfo WorkDirectory,
    int Instances = 1,
    string? StoreConnection = null,
    TimeSpan? MonthCloseGrace = null,
    ChaosCluster? Cluster = null);

/// <summary>A real Kafka cluster and its Schema Registry.</summary>
/// <param name="BootstrapServers">HOST:PORT list.</param>
/// <param name="SchemaRegistryUrl">The registry's URL.</param>
internal sealed record ChaosCluster(string BootstrapServers, string SchemaRegistryUrl);
