using System.CommandLine;
using System.Globalization;
using System.Text;
using Avro;
using Avro.IO;
using Avro.Specific;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using StreamBilling.Contracts.Serialization;
using StreamBilling.Events.Outputs;
using StreamBilling.Kafka;

namespace StreamBilling.Cli.Commands;

/// <summary>
/// <c>streambilling late TOPIC --bootstrap-servers HOST:PORT [--schema-registry URL] [--reason PREFIX]</c>: every record
/// of a late-records topic, one line each: why it was not processed, where it was read, its times, and the rejected value
/// (decoded with its writer schema when it is Avro, else as text). What an operator reads before a replay.
/// </summary>
internal sealed class LateCommand : ICliCommand
{
    private static readonly TimeSpan BrokerTimeout = TimeSpan.FromSeconds(10);

    public Command Create()
    {
        var topic = new Argument<string>("TOPIC") { Description = "Late-records topic, e.g. streambilling-pricing-late-records or usage.cdn.traffic.late." };
        var servers = new Option<string>("--bootstrap-servers") { Description = "Kafka holding the topic (HOST:PORT).", Required = true };
        var registry = new Option<string?>("--schema-registry") { Description = "Schema Registry URL (required unless the servers are a `streambilling broker`, which serves its own)." };
        var reason = new Option<string?>("--reason") { Description = "Only records whose reason starts with this, e.g. no-rate." };
        var command = new Command("late", "Print a late-records topic: why each record was not processed, where it came from, and its original value.") { topic, servers, registry, reason };
        command.SetAction(async (ParseResult pr, CancellationToken ct) =>
            await PrintAsync(pr.GetValue(topic)!, pr.GetValue(servers)!, pr.GetValue(registry), pr.GetValue(reason), pr.InvocationConfiguration.Output, pr.InvocationConfiguration.Error, ct));
        return command;
    }

    private static async Task<int> PrintAsync(string topic, string servers, string? registryUrl, string? reason, TextWriter output, TextWriter error, CancellationToken ct)
    {
        await using var kafka = await KafkaSession.StartAsync(servers, registryUrl, [], ct);
        if (string.IsNullOrWhiteSpace(registryUrl) && kafka.Cluster is not SharedEmbeddedCluster)
        {
            await error.WriteLineAsync("--schema-registry is required with --bootstrap-servers of a cluster that is not a `streambilling broker`.");
            return 2;
        }

        var registry = kafka.Clients.SchemaRegistry;
        var envelopes = new AvroWireCodec<LateRecord>(registry);
        using var admin = kafka.Clients.CreateAdminClient();
        var partitions = CommittedProgress.PartitionsOf(admin, topic);
        if (partitions.Count == 0)
        {
            await error.WriteLineAsync($"Topic '{topic}' does not exist.");
            return 1;
        }

        var (low, high) = await admin.ListWatermarksAsync(partitions, BrokerTimeout);
        var remaining = partitions.Where(p => high[p] > low[p]).ToHashSet();
        using var consumer = kafka.Clients.CreateRawConsumer("streambilling-late-reader-" + Guid.NewGuid().ToString("N"));
        consumer.Assign(remaining.Select(p => new TopicPartitionOffset(p, low[p])));
        var (read, printed) = (0, 0);
        while (remaining.Count > 0)
        {
            var record = consumer.Consume(BrokerTimeout) ?? throw new TimeoutException($"{topic} returned no record within {BrokerTimeout}.");
            read++;
            var late = envelopes.Deserialize(record.Message.Value);
            if (reason is null || late.reason.StartsWith(reason, StringComparison.Ordinal))
            {
                await output.WriteLineAsync(await DescribeAsync(record.TopicPartitionOffset, late, registry));
                printed++;
            }

            if (record.Offset.Value + 1 >= high[record.TopicPartition])
            {
                remaining.Remove(record.TopicPartition);
            }
        }

        consumer.Close();
        await output.WriteLineAsync($"{printed} of {read} late record(s) on {topic}");
        return 0;
    }

    private static async Task<string> DescribeAsync(TopicPartitionOffset at, LateRecord late, ISchemaRegistryClient registry)
    {
        var source = late.sourceTopic is null ? "a punctuation" : $"{late.sourceTopic}/{late.sourcePartition}/{late.sourceOffset}";
        var key = late.key is null ? "(none)" : Encoding.UTF8.GetString(late.key);
        var value = await ValueAsync(late, registry);
        var streamTime = late.streamTime is { } time ? time.ToString("O", CultureInfo.InvariantCulture) : "none";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{at.Partition.Value}/{at.Offset.Value} {late.reason} | {late.applicationId} {late.rejectedBy} reading {source} | time {late.timestamp:O} stream time {streamTime} | id {late.id} | key {key} | {value}");
    }

    /// <summary>
    /// The rejected value: an Avro value decoded with its writer schema (the id it carries) into the contract class of the
    /// same name, shown by its <c>ToString()</c>; anything else as UTF-8 text.
    /// </summary>
    private static async Task<string> ValueAsync(LateRecord late, ISchemaRegistryClient registry)
    {
        if (late.value is null)
        {
            return "no value";
        }

        if (late.valueSchemaId is not { } id)
        {
            return "value " + Encoding.UTF8.GetString(late.value);
        }

        var writer = Avro.Schema.Parse((await registry.GetSchemaAsync(id)).SchemaString);
        var name = (writer as NamedSchema)?.Fullname ?? writer.Name;
        if (typeof(LateRecord).Assembly.GetType(name) is not { } type || Activator.CreateInstance(type) is not ISpecificRecord contract)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{name} (schema {id}, no contract class of that name in this build): {late.value.Length} bytes");
        }

        using var body = new MemoryStream(late.value, 5, late.value.Length - 5);
        var value = new SpecificDatumReader<ISpecificRecord>(writer, contract.Schema).Read(null!, new BinaryDecoder(body));
        return string.Create(CultureInfo.InvariantCulture, $"(schema {id}) {value}");
    }
}
