using System.CommandLine;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using StreamBilling.Contracts;
using StreamBilling.Events.Outputs;
using StreamBilling.Kafka;
using StreamBilling.Pipeline.Cdn;

namespace StreamBilling.Cli.Commands;

/// <summary><c>streambilling cdn status|enable CUSTOMER</c>: the operator side of the CDN cap flow.</summary>
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
        foreach (var option in store.All)
        {
            enable.Options.Add(option);
            status.Options.Add(option);
        }

        return new Command("cdn", "Operate the CDN cap flow: distribution status per customer.") { status, enable };
    }

    private static async Task<int> StatusAsync(string customer, UsageStoreChoice db, CancellationToken ct)
    {
        await using var store = await UsageStoreAccess.TryOpenAsync(db, Console.Error, ct);
        if (store is null)
        {
            return 1;
        }

        var current = await store.GetAsync(customer, ct);
        Console.WriteLine(current is null
            ? $"{customer}: Enabled (never changed)"
            : string.Create(CultureInfo.InvariantCulture, $"{customer}: {current.Status} since {current.ChangedAt:O} ({current.Reason}; distribution {current.DistributionId}; cause {current.CauseId})"));
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

        var change = await new CdnController(store, TimeProvider.System, "streambilling.cli").EnableAsync(customer, ct);
        if (change is null)
        {
            Console.WriteLine($"{customer}: not disabled; nothing to do.");
            return 0;
        }

        Console.WriteLine($"{customer}: {change.previousStatus} -> {change.status} ({change.distributionId})");
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
        $"{{eventId: {change.eventId}, customerId: {change.customerId}, distributionId: {change.distributionId}, status: {change.status}, previousStatus: {change.previousStatus}, reason: {change.reason}, causeEventId: {change.causeEventId}, changedAt: {change.changedAt:O}}}");
}
