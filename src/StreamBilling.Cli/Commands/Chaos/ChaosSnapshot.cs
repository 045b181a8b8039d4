using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using DuckDB.NET.Data;
using Npgsql;
using StreamBilling.Contracts;
using StreamBilling.Contracts.Serialization;
using StreamBilling.Events.Common;
using StreamBilling.Events.Outputs;
using StreamBilling.Kafka;
using StreamBilling.Streams;

namespace StreamBilling.Cli.Commands.Chaos;

/// <summary>
/// The money outputs of one run, keyed so two runs compare entry by entry: from the host's store (latest invoice per
/// invoice id, rollups, CDN statuses: what the API serves) and from the broker's topics (priced lines, cap decisions,
/// dead-letter and late-record topics). Replayed records carry the same ids, so duplicates collapse.
/// </summary>
internal sealed class ChaosSnapshot
{
    private static readonly TimeSpan BrokerTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Latest stored invoice per invoice id, as its JSON document.</summary>
    public Dictionary<string, JsonObject> Invoices { get; } = new(StringComparer.Ordinal);

    /// <summary>Rollup row per (region#role, week, hour, service): quantity, unit, cost, currency, line count.</summary>
    public Dictionary<string, string> Rollups { get; } = new(StringComparer.Ordinal);

    /// <summary>CDN status per customer: distribution, status, cause, reason (not the wall-clock change time).</summary>
    public Dictionary<string, string> CdnStatuses { get; } = new(StringComparer.Ordinal);

    /// <summary>Priced lines by event id: service, whether quantity and amount are both zero, and what was priced.</summary>
    public Dictionary<string, (ServiceKind Service, bool IsZero, string Value)> PricedLines { get; } = new(StringComparer.Ordinal);

    /// <summary>Cap decisions by event id.</summary>
    public Dictionary<string, string> CapDecisions { get; } = new(StringComparer.Ordinal);

    /// <summary>The daily EVENT_CDN_USAGE messages by id: customer, period and GB.</summary>
    public Dictionary<string, string> CdnUsageMessages { get; } = new(StringComparer.Ordinal);

    /// <summary>Message ids published again with other content in the same run: one period billed two ways.</summary>
    public List<string> ConflictingCdnUsageMessages { get; } = [];

    /// <summary>Dead-letter (<c>.dlq</c>) and late-record topics: the ids of their records (a late record's from its envelope).</summary>
    public Dictionary<string, HashSet<string>> DeadLetters { get; } = new(StringComparer.Ordinal);

    /// <summary>Topics whose oldest records the broker dropped (newest ~5 MB per partition), so their comparison is incomplete.</summary>
    public List<string> TruncatedTopics { get; } = [];

    /// <summary>
    /// Reads the store (the DuckDB file at <paramref name="storePath"/>, once the host has stopped, or the PostgreSQL
    /// database and schema of <paramref name="postgresConnection"/> when given) and the broker's output topics.
    /// </summary>
    public static async Task<ChaosSnapshot> ReadAsync(string storePath, string? postgresConnection, KafkaClientFactory clients, CancellationToken cancellationToken)
    {
        var snapshot = new ChaosSnapshot();
        using (DbConnection connection = postgresConnection is null
            ? new DuckDBConnection($"Data Source={storePath};ACCESS_MODE=READ_ONLY")
            : new NpgsqlConnection(postgresConnection))
        {
            connection.Open();
            snapshot.ReadStore(connection);
        }

        using var admin = clients.CreateAdminClient();
        var topics = admin.GetMetadata(BrokerTimeout).Topics.Select(t => t.Topic).ToList();
        var pricedLines = new AvroWireCodec<PricedLineItem>(clients.SchemaRegistry);
        await snapshot.ReadTopicAsync(clients, admin, Topics.PricedLines, record =>
        {
            var line = pricedLines.Deserialize(record.Message.Value);
            var isZero = line.quantity.UnscaledValue.IsZero && line.amount.UnscaledValue.IsZero;
            snapshot.PricedLines[line.eventId] = (line.service, isZero, string.Create(
                CultureInfo.InvariantCulture,
                $"{line.accountId} {line.service} {line.usageType} {line.resourceId} {line.billingMonth} quantity {line.quantity} amount {line.amount}{(line.isRetraction ? " retraction" : string.Empty)}"));
        }, cancellationToken);
        var decisions = new AvroWireCodec<CdnCapDecision>(clients.SchemaRegistry);
        await snapshot.ReadTopicAsync(clients, admin, Topics.CdnCaps, record =>
        {
            var decision = decisions.Deserialize(record.Message.Value);
            snapshot.CapDecisions[decision.eventId] = string.Create(
                CultureInfo.InvariantCulture,
                $"{decision.customerId} [{decision.windowStart:O}, {decision.windowEnd:O}) {decision.totalBytes} of {decision.limitBytes} bytes");
        }, cancellationToken);
        var usageMessages = new AvroWireCodec<CdnUsageBillingMessage>(clients.SchemaRegistry);
        await snapshot.ReadTopicAsync(clients, admin, Topics.CdnUsageMessages, record =>
        {
            var payload = usageMessages.Deserialize(record.Message.Value).payload;
            var content = string.Create(CultureInfo.InvariantCulture, $"{payload.customerId} [{payload.startPeriod:O}, {payload.endPeriod:O}) {payload.trafficUsageGb} GB");

            // A resend after a restart carries the same id and content (at-least-once); other content would bill a period twice.
            if (snapshot.CdnUsageMessages.TryGetValue(payload.id, out var earlier) && earlier != content)
            {
                snapshot.ConflictingCdnUsageMessages.Add($"{payload.id}: {earlier}, then {content}");
            }

            snapshot.CdnUsageMessages[payload.id] = content;
        }, cancellationToken);
        var lateRecords = new AvroWireCodec<LateRecord>(clients.SchemaRegistry);
        foreach (var topic in topics.Where(IsDeadLetterOrLate).Order(StringComparer.Ordinal))
        {
            var ids = snapshot.DeadLetters[topic] = new HashSet<string>(StringComparer.Ordinal);
            var isDeadLetter = topic.EndsWith(Topics.DeadLetterSuffix, StringComparison.Ordinal);
            await snapshot.ReadTopicAsync(clients, admin, topic, record => ids.Add(isDeadLetter ? IdOf(record) : lateRecords.Deserialize(record.Message.Value).id), cancellationToken);
        }

        return snapshot;
    }

    private static bool IsDeadLetterOrLate(string topic) =>
        topic.EndsWith(Topics.DeadLetterSuffix, StringComparison.Ordinal) || topic.Contains("late", StringComparison.Ordinal);

    /// <summary>The record's deterministic id header, else a hash of its key and value (a dead letter keeps the original bytes).</summary>
    private static string IdOf(ConsumeResult<byte[], byte[]> record)
    {
        if (record.Message.Headers?.TryGetLastBytes(RecordHeaderNames.Id, out var id) == true)
        {
            return Encoding.UTF8.GetString(id);
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var part in new[] { record.Message.Key, record.Message.Value })
        {
            hash.AppendData(BitConverter.GetBytes(part?.Length ?? -1));
            hash.AppendData(part ?? []);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private void ReadStore(DbConnection connection)
    {
        foreach (var row in Query(connection, "SELECT invoice_id, document FROM invoices"))
        {
            Invoices[row[0]] = JsonNode.Parse(row[1])!.AsObject();
        }

        // Keyed as the store keys them: one row per account, region#role, week, hour and service.
        const string RollupColumns = "customer_id, partition_key, iso_week, CAST(hour_start AS VARCHAR), service, CAST(usage_quantity AS VARCHAR), usage_unit, CAST(cost AS VARCHAR), currency, CAST(line_count AS VARCHAR)";
        foreach (var row in Query(connection, $"SELECT {RollupColumns} FROM hourly_rollups"))
        {
            Rollups[string.Join(' ', row[..5])] = string.Join(' ', row[5..]);
        }

        foreach (var row in Query(connection, "SELECT customer_id, distribution_id, status, cause_id, reason FROM cdn_distribution_status"))
        {
            CdnStatuses[row[0]] = string.Join(' ', row[1..]);
        }
    }

    private static List<string[]> Query(DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string[]>();
        while (reader.Read())
        {
            rows.Add([.. Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture) ?? string.Empty)]);
        }

        return rows;
    }

    /// <summary>Every record of <paramref name="topic"/> still in the broker, each partition in order.</summary>
    private async Task ReadTopicAsync(KafkaClientFactory clients, IAdminClient admin, string topic, Action<ConsumeResult<byte[], byte[]>> handle, CancellationToken cancellationToken)
    {
        var partitions = admin.GetMetadata(topic, BrokerTimeout).Topics.Single().Partitions.Select(p => new TopicPartition(topic, p.PartitionId)).ToList();
        var (low, high) = await admin.ListWatermarksAsync(partitions, BrokerTimeout);
        if (partitions.Any(p => low[p] > 0))
        {
            TruncatedTopics.Add(topic);
        }

        var pending = partitions.Where(p => high[p] > low[p]).ToDictionary(p => p, p => high[p]);
        if (pending.Count == 0)
        {
            return;
        }

        using var consumer = clients.CreateRawConsumer("streambilling-chaos-read-" + Guid.NewGuid().ToString("N"));
        consumer.Assign(pending.Keys.Select(p => new TopicPartitionOffset(p, low[p])));
        var deadline = DateTimeOffset.UtcNow + ReadTimeout;
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"Reading {topic} took longer than {ReadTimeout}; {pending.Count} partition(s) not read to the end.");
            }

            var record = consumer.Consume(TimeSpan.FromMilliseconds(500));
            if (record?.Message is null)
            {
                continue;
            }

            handle(record);
            if (record.Offset.Value + 1 >= pending.GetValueOrDefault(record.TopicPartition, long.MaxValue))
            {
                pending.Remove(record.TopicPartition);
            }
        }

        consumer.Close();
    }
}
