using System.CommandLine;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using StreamBilling.Contracts;
using StreamBilling.Events.Outputs;
using StreamBilling.Kafka;
using StreamBilling.Pipeline.Cdn;
using StreamBilling.Simulation;
using StreamBilling.Storage;

namespace StreamBilling.Cli.Commands;

/// <summary>
/// <c>streambilling cdn status|enable CUSTOMER</c> and <c>cdn registry load|list</c>: the operator side of the CDN cap
/// flow and the registry of which distributions each customer has.
/// </summary>
internal sealed class CdnCommand : ICliCommand
{
    public Command Create()
    {
        var customer = new Argument<string>("CUSTOMER") { Description = "Customer id." };
        var store = new UsageStoreOptions("DuckDB file of the status store.");
        var servers = new Option<string?>("--bootstrap-servers") { Description = "Kafka to publish the CdnStatusChanged event to (HOST:PORT); without it the event is printed, not sent." };
        var registry = new Option<string?>("--schema-registry") { Description = "Schema Registry URL (required with --bootstrap-servers of a real cluster; a `streambilling broker` serves its own)." };

        var enable = new Command("enable", "Re-enable a customer's CDN distribution disabled by a cap (an explicit operator decision).") { customer, servers, registry };
        enable.SetAction(async (ParseResult pr, CancellationToken ct) =>
            store.Resolve(pr, Console.Error) is { } db ? await EnableAsync(pr.GetValue(customer)!, db, pr.GetValue(servers), pr.GetValue(registry), ct) : 2);

        var status = new Command("status", "Show a customer's CDN distribution status.") { customer };
        status.SetAction(async (ParseResult pr, CancellationToken ct) => store.Resolve(pr, Console.Error) is { } db ? await StatusAsync(pr.GetValue(customer)!, db, ct) : 2);
        var file = new Option<string>("--file") { Description = "Registry file: .json ({\"distributions\": [{customerId, bucket, distributionId, domainName}]}) or .csv (header " + CdnRegistryFile.CsvHeader + ").", Required = true };
        var load = new Command("load", "Load the CDN registry (customer → bucket → distribution) from a file into the store: every row or none; known distributions are updated, none removed.") { file };
        load.SetAction(async (ParseResult pr, CancellationToken ct) => store.Resolve(pr, Console.Error) is { } db ? await LoadAsync(pr.GetValue(file)!, db, ct) : 2);
        var customerFilter = new Option<string?>("--customer") { Description = "Only this customer's distributions." };
        var list = new Command("list", "List the CDN registry: customer, bucket, distribution id and domain, added and updated times.") { customerFilter };
        list.SetAction(async (ParseResult pr, CancellationToken ct) => store.Resolve(pr, Console.Error) is { } db ? await ListAsync(pr.GetValue(customerFilter), db, ct) : 2);
        foreach (var option in store.All)
        {
            enable.Options.Add(option);
            status.Options.Add(option);
            load.Options.Add(option);
            list.Options.Add(option);
        }

        var customers = new Option<int>("--customers") { Description = "Simulated customers (as `simulate --customers`).", DefaultValueFactory = _ => 10 };
        var seed = new Option<int>("--seed") { Description = "Simulation seed (as `simulate --seed`).", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--out") { Description = "Registry file to write (.json).", Required = true };
        var sample = new Command("sample", "Write the CDN registry of the simulator's customers (same --customers and --seed as `simulate`; simulations of 15 minutes or more) to a file for `cdn registry load`.") { customers, seed, output };
        sample.SetAction((ParseResult pr) => WriteSample(pr.GetValue(customers), pr.GetValue(seed), pr.GetValue(output)!));
        var registryCommand = new Command("registry", "The CDN registry: which CloudFront distributions (and S3 buckets) each customer has; the cap controller disables these.") { load, list, sample };
        return new Command("cdn", "Operate the CDN cap flow: distribution status per customer, and the CDN registry.") { status, enable, registryCommand };
    }

    private static async Task<int> LoadAsync(string path, UsageStoreChoice db, CancellationToken ct)
    {
        IReadOnlyList<CdnDistribution> rows;
        try
        {
            rows = CdnRegistryFile.Read(path);
        }
        catch (CdnRegistryFileException e)
        {
            await Console.Error.WriteLineAsync($"Nothing loaded: {e.Message}");
            return 1;
        }

        await using var store = await UsageStoreAccess.TryOpenAsync(db, Console.Error, ct);
        if (store is null)
        {
            return 1;
        }

        var written = await store.UpsertDistributionsAsync(rows, TimeProvider.System.GetUtcNow(), ct);
        Console.WriteLine($"loaded {written} distributions of {rows.Select(r => r.CustomerId).Distinct(StringComparer.Ordinal).Count()} customers from {path}");
        return 0;
    }

    private static int WriteSample(int customers, int seed, string path)
    {
        UsageSimulator simulator;
        try
        {
            simulator = new UsageSimulator(new SimulationOptions { Customers = customers, Seed = seed });
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }

        CdnRegistryFile.WriteJson(path, simulator.Customers.Select(c => c.Distribution));
        Console.WriteLine($"wrote the CDN registry of {customers} simulated customers (seed {seed}) to {path}");
        return 0;
    }

    private static async Task<int> ListAsync(string? customer, UsageStoreChoice db, CancellationToken ct)
    {
        await using var store = await UsageStoreAccess.TryOpenAsync(db, Console.Error, ct);
        if (store is null)
        {
            return 1;
        }

        var rows = await store.ListDistributionsAsync(customer, ct);
        Console.WriteLine("customer\tbucket\tdistribution\tdomain\tadded\tupdated");
        foreach (var (d, added, updated) in rows)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{d.CustomerId}\t{d.Bucket}\t{d.DistributionId}\t{d.DomainName}\t{added:O}\t{updated:O}"));
        }

        Console.WriteLine($"{rows.Count} distributions");
        return 0;
    }

    private static async Task<int> StatusAsync(string customer, UsageStoreChoice db, CancellationToken ct)
    {
        await using var store = await UsageStoreAccess.TryOpenAsync(db, Console.Error, ct);
        if (store is null)
        {
            return 1;
        }

        var current = await store.GetAsync(customer, ct);
        if (current is null)
        {
            // Never capped: the registry says which distributions it has, all serving.
            var registered = (await store.ListDistributionsAsync(customer, ct)).Select(r => r.Distribution);
            Console.WriteLine($"{customer}: Enabled (never changed; distributions {CdnDistributionNames.Of(registered)})");
            return 0;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{customer}: {current.Status} since {current.ChangedAt:O} ({current.Reason}; distributions {CdnDistributionNames.Of(current)}; cause {current.CauseId})"));
        return 0;
    }

    private static async Task<int> EnableAsync(string customer, UsageStoreChoice db, string? servers, string? registryUrl, CancellationToken ct)
    {
        await using var kafka = servers is null ? null : await KafkaSession.StartAsync(servers, registryUrl, [Topics.All.Single(t => t.Name == Topics.CdnStatus)], ct);
        if (kafka is not null && string.IsNullOrWhiteSpace(registryUrl) && kafka.Cluster is not SharedEmbeddedCluster)
        {
            // Only a shared embedded broker brings a registry; an in-memory one here would give ids no consumer can resolve.
            await Console.Error.WriteLineAsync("--schema-registry is required with --bootstrap-servers of a cluster that is not a `streambilling broker`.");
            return 2;
        }

        await using var store = await UsageStoreAccess.TryOpenAsync(db, Console.Error, ct);
        if (store is null)
        {
            return 1;
        }

        var change = await new CdnController(store, store, TimeProvider.System, "streambilling.cli").EnableAsync(customer, ct);
        if (change is null)
        {
            Console.WriteLine($"{customer}: not disabled; nothing to do.");
            return 0;
        }

        Console.WriteLine($"{customer}: {change.previousStatus} -> {change.status} ({CdnDistributionNames.Of(change)})");
        if (kafka is null)
        {
            Console.WriteLine($"would publish to {Topics.CdnStatus} (no --bootstrap-servers): {Describe(change)}");
            return 0;
        }

        using var producer = kafka.Clients.CreateAvroProducer<CdnStatusChanged>();
        var delivered = await producer.ProduceAsync(
            Topics.CdnStatus,
            new Message<string, CdnStatusChanged>
            {
                Key = change.customerId,
                Value = change,
                Headers = new Headers { { Streams.RecordHeaderNames.Id, Encoding.UTF8.GetBytes(change.eventId) } },
            },
            ct);
        Console.WriteLine($"published to {delivered.TopicPartitionOffset}: {Describe(change)}");
        return 0;
    }

    private static string Describe(CdnStatusChanged change) => string.Create(
        CultureInfo.InvariantCulture,
        $"{{eventId: {change.eventId}, customerId: {change.customerId}, distributionId: {change.distributionId}, distributions: [{CdnDistributionNames.Of(change)}], status: {change.status}, previousStatus: {change.previousStatus}, reason: {change.reason}, causeEventId: {change.causeEventId}, changedAt: {change.changedAt:O}}}");
}
