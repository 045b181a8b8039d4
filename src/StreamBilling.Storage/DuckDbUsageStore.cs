using System.Data.Common;
using DuckDB.NET.Data;
using StreamBilling.Billing;

namespace StreamBilling.Storage;

/// <summary>
/// <see cref="IUsageStore"/> on an embedded DuckDB database: the tables of the versioned migrations
/// <c>infra/duckdb/NNN_name.sql</c>, applied on open by <see cref="DuckDbMigrations"/>. One connection, used by one
/// operation at a time.
/// </summary>
internal sealed partial class DuckDbUsageStore : IUsageStore
{
    private readonly DuckDBConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _disposed;

    // The rollup sink's staging table (TEMP: of this connection, never in the file), emptied before each batch.
    private static readonly string[] RollupStagingStatements =
    [
        "CREATE TEMP TABLE IF NOT EXISTS hourly_rollups_incoming AS SELECT customer_id, partition_key, iso_week, hour_start, service, region, role, usage_quantity, usage_unit, cost, currency, line_count, event_id FROM hourly_rollups LIMIT 0",
        "DELETE FROM hourly_rollups_incoming",
    ];

    // The invoice sink's staging table, likewise.
    private static readonly string[] InvoiceStagingStatements =
    [
        "CREATE TEMP TABLE IF NOT EXISTS invoices_incoming AS SELECT invoice_id, customer_id, billing_month, status, revision, issued_at, currency, total_amount, total_discount, actual_amount, event_id, document FROM invoices LIMIT 0",
        "DELETE FROM invoices_incoming",
    ];

    private DuckDbUsageStore(DuckDBConnection connection) => _connection = connection;

    public static async Task<IUsageStore> OpenAsync(string? path, TimeProvider time, CancellationToken cancellationToken)
    {
        var connection = new DuckDBConnection(path is null ? "Data Source=:memory:" : $"Data Source={path}");
        try
        {
            await connection.OpenAsync(cancellationToken);
            await DuckDbMigrations.ApplyAsync(connection, path ?? ":memory:", time, cancellationToken);

            return new DuckDbUsageStore(connection);
        }
        catch (DuckDBException e) when (path is not null && e.Message.Contains("lock", StringComparison.OrdinalIgnoreCase))
        {
            await connection.DisposeAsync();
            throw new UsageStoreLockedException($"The store '{path}' is in use by another process (a running host keeps it open): stop that process first, or open a copy of the file.", e);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async Task UpsertAsync(IReadOnlyCollection<RollupRow> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return;
        }

        // One row per key, the batch's last version: DuckDB refuses an INSERT … ON CONFLICT whose rows conflict with each other.
        var latest = new Dictionary<(string, string, string, DateTimeOffset, string), RollupRow>();
        foreach (var row in rows)
        {
            latest[(row.CustomerId, row.PartitionKey, row.IsoWeek, row.HourStart, row.Service)] = row;
        }

        await ExclusiveAsync(
            async () =>
            {
                // Appended into a connection-local staging table, then applied in one statement: row by row with
                // parameters, a loaded host stored under a hundred rows a second and the rollup sink fell behind.
                await RunAsync(RollupStagingStatements, cancellationToken);

                using (var incoming = _connection.CreateAppender("hourly_rollups_incoming"))
                {
                    foreach (var row in latest.Values)
                    {
                        incoming.CreateRow()
                            .AppendValue(row.CustomerId)
                            .AppendValue(row.PartitionKey)
                            .AppendValue(row.IsoWeek)
                            .AppendValue((DateTime?)row.HourStart.UtcDateTime)
                            .AppendValue(row.Service)
                            .AppendValue(row.Region)
                            .AppendValue(row.Role)
                            .AppendValue((decimal?)row.UsageQuantity)
                            .AppendValue(row.UsageUnit)
                            .AppendValue((decimal?)row.Cost)
                            .AppendValue(row.Currency)
                            .AppendValue((long?)row.LineCount)
                            .AppendValue(row.EventId)
                            .EndRow();
                    }
                }

                await using var transaction = await _connection.BeginTransactionAsync(cancellationToken);
                await ExecuteAsync(
                    """
                    INSERT INTO hourly_rollups (customer_id, partition_key, iso_week, hour_start, service, region, role, usage_quantity, usage_unit, cost, currency, line_count, event_id)
                    SELECT customer_id, partition_key, iso_week, hour_start, service, region, role, usage_quantity, usage_unit, cost, currency, line_count, event_id
                    FROM hourly_rollups_incoming
                    ON CONFLICT (customer_id, partition_key, iso_week, hour_start, service) DO UPDATE SET
                        region = excluded.region, role = excluded.role, usage_quantity = excluded.usage_quantity,
                        usage_unit = excluded.usage_unit, cost = excluded.cost, currency = excluded.currency,
                        line_count = excluded.line_count, event_id = excluded.event_id
                    """,
                    transaction,
                    cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            },
            cancellationToken);
    }

    public async Task<IReadOnlyList<string>> PartitionKeysAsync(string? customerId, CancellationToken cancellationToken = default)
    {
        return await ExclusiveAsync(
            async () =>
            {
                await using var command = _connection.CreateCommand();
                command.CommandText = "SELECT DISTINCT partition_key FROM hourly_rollups" + AccountFilter(command, customerId, "WHERE");
                var keys = new List<string>();
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    keys.Add(reader.GetString(0));
                }

                keys.Sort(StringComparer.Ordinal);
                return keys;
            },
            cancellationToken);
    }

    public async Task<IReadOnlyList<WeeklyUsage>> WeeklyAsync(WeeklyUsageQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return await ExclusiveAsync(
            async () =>
            {
                await using var command = _connection.CreateCommand();
                command.CommandText = """
                    SELECT region, role, iso_week, SUM(usage_quantity), SUM(cost), COUNT(*)
                    FROM hourly_rollups
                    WHERE partition_key = $partition_key AND service = $service
                      AND iso_week >= $from_week AND iso_week <= $to_week
                      AND hour_start >= $from AND hour_start < $until
                    """ + AccountFilter(command, query.CustomerId, "AND") + """

                    GROUP BY region, role, iso_week
                    ORDER BY iso_week, region, role
                    """;
                Add(command, "partition_key", query.PartitionKey);
                Add(command, "service", query.Service);
                Add(command, "from_week", query.FromWeek);
                Add(command, "to_week", query.ToWeek);
                Add(command, "from", (query.From ?? DateTimeOffset.UnixEpoch).UtcDateTime);
                Add(command, "until", (query.Until ?? new DateTimeOffset(9999, 1, 1, 0, 0, 0, TimeSpan.Zero)).UtcDateTime);
                var weeks = new List<WeeklyUsage>();
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    weeks.Add(new WeeklyUsage(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetDecimal(3), reader.GetDecimal(4), reader.GetInt64(5)));
                }

                return weeks;
            },
            cancellationToken);
    }

    public async Task<CdnStatusRecord?> GetAsync(string customerId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(customerId);
        return await ExclusiveAsync(
            async () =>
            {
                return await ReadStatusAsync(customerId, null, cancellationToken);
            },
            cancellationToken);
    }

    public async Task<CdnStatusTransition> ApplyAsync(CdnStatusUpdate update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        ArgumentException.ThrowIfNullOrWhiteSpace(update.CustomerId);
        ArgumentException.ThrowIfNullOrWhiteSpace(update.CauseId);
        return await ExclusiveAsync(
            async () =>
            {
                await using var transaction = await _connection.BeginTransactionAsync(cancellationToken);
                var current = await ReadStatusAsync(update.CustomerId, transaction, cancellationToken);
                var previous = current?.Status ?? DistributionStatus.Enabled;
                if (await CauseAppliedAsync(update.CauseId, transaction, cancellationToken))
                {
                    return new CdnStatusTransition(AlreadyApplied: true, previous, current);
                }

                await ExecuteAsync(
                    "INSERT INTO cdn_applied_causes (cause_id, customer_id, applied_at) VALUES ($cause_id, $customer_id, $applied_at)",
                    transaction,
                    cancellationToken,
                    ("cause_id", update.CauseId),
                    ("customer_id", update.CustomerId),
                    ("applied_at", update.ChangedAt.UtcDateTime));
                if (current is null || current.Status != update.Status)
                {
                    await ExecuteAsync(
                        """
                        INSERT INTO cdn_distribution_status (customer_id, distribution_id, status, changed_at, cause_id, reason, distributions)
                        VALUES ($customer_id, $distribution_id, $status, $changed_at, $cause_id, $reason, $distributions)
                        ON CONFLICT (customer_id) DO UPDATE SET
                            distribution_id = excluded.distribution_id, status = excluded.status, changed_at = excluded.changed_at,
                            cause_id = excluded.cause_id, reason = excluded.reason, distributions = excluded.distributions
                        """,
                        transaction,
                        cancellationToken,
                        ("customer_id", update.CustomerId),
                        ("distribution_id", update.DistributionId),
                        ("status", update.Status.ToString()),
                        ("changed_at", update.ChangedAt.UtcDateTime),
                        ("cause_id", update.CauseId),
                        ("reason", update.Reason),
                        ("distributions", CdnRegistryRows.ToJson(update.Distributions)));
                    current = new CdnStatusRecord(update.CustomerId, update.DistributionId, update.Status, update.ChangedAt, update.CauseId, update.Reason)
                    {
                        Distributions = update.Distributions,
                    };
                }

                await transaction.CommitAsync(cancellationToken);
                return new CdnStatusTransition(AlreadyApplied: false, previous, current);
            },
            cancellationToken);
    }

    public async Task UpsertInvoicesAsync(IReadOnlyCollection<StoredInvoice> invoices, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(invoices);
        if (invoices.Count == 0)
        {
            return;
        }

        // One row per invoice, its highest revision in the batch (an equal one later in the batch is the same version again).
        var latest = new Dictionary<string, StoredInvoice>(StringComparer.Ordinal);
        foreach (var invoice in invoices)
        {
            if (!latest.TryGetValue(invoice.Header.InvoiceId, out var kept) || invoice.Header.Revision >= kept.Header.Revision)
            {
                latest[invoice.Header.InvoiceId] = invoice;
            }
        }

        await ExclusiveAsync(
            async () =>
            {
                // Staged with an appender and applied in one statement, as the rollups are.
                await RunAsync(InvoiceStagingStatements, cancellationToken);

                using (var incoming = _connection.CreateAppender("invoices_incoming"))
                {
                    foreach (var invoice in latest.Values)
                    {
                        var header = invoice.Header;
                        incoming.CreateRow()
                            .AppendValue(header.InvoiceId)
                            .AppendValue(header.CustomerId)
                            .AppendValue(header.BillingMonth.ToString())
                            .AppendValue(header.Status)
                            .AppendValue((long?)header.Revision)
                            .AppendValue((DateTime?)header.IssuedAt.UtcDateTime)
                            .AppendValue(header.Currency)
                            .AppendValue((decimal?)header.TotalAmount)
                            .AppendValue((decimal?)header.TotalDiscount)
                            .AppendValue((decimal?)header.ActualAmount)
                            .AppendValue(invoice.EventId)
                            .AppendValue(invoice.Document)
                            .EndRow();
                    }
                }

                await using var transaction = await _connection.BeginTransactionAsync(cancellationToken);

                // The WHERE keeps a newer revision when an older one is replayed; an equal revision is the same version again.
                await ExecuteAsync(
                    """
                    INSERT INTO invoices (invoice_id, customer_id, billing_month, status, revision, issued_at, currency, total_amount, total_discount, actual_amount, event_id, document)
                    SELECT invoice_id, customer_id, billing_month, status, revision, issued_at, currency, total_amount, total_discount, actual_amount, event_id, document
                    FROM invoices_incoming
                    ON CONFLICT (invoice_id) DO UPDATE SET
                        status = excluded.status, revision = excluded.revision, issued_at = excluded.issued_at, currency = excluded.currency,
                        total_amount = excluded.total_amount, total_discount = excluded.total_discount, actual_amount = excluded.actual_amount,
                        event_id = excluded.event_id, document = excluded.document
                    WHERE excluded.revision >= invoices.revision
                    """,
                    transaction,
                    cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            },
            cancellationToken);
    }

    public async Task<StoredInvoice?> GetInvoiceAsync(string customerId, BillingMonth billingMonth, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(customerId);
        return await ExclusiveAsync(
            async () =>
            {
                await using var command = _connection.CreateCommand();
                command.CommandText = """
                    SELECT invoice_id, status, revision, issued_at, currency, total_amount, total_discount, actual_amount, event_id, document
                    FROM invoices WHERE customer_id = $customer_id AND billing_month = $billing_month
                    """;
                Add(command, "customer_id", customerId);
                Add(command, "billing_month", billingMonth.ToString());
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                if (!await reader.ReadAsync(cancellationToken))
                {
                    return null;
                }

                var header = new InvoiceHeader(
                    reader.GetString(0),
                    customerId,
                    billingMonth,
                    reader.GetString(1),
                    reader.GetInt64(2),
                    Utc(reader.GetDateTime(3)),
                    reader.GetString(4),
                    Amount(reader.GetDecimal(5)),
                    Amount(reader.GetDecimal(6)),
                    Amount(reader.GetDecimal(7)));
                return new StoredInvoice(header, reader.GetString(8), reader.GetString(9));
            },
            cancellationToken);
    }

    public async Task<IReadOnlyList<InvoiceHeader>> ListInvoicesAsync(string customerId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(customerId);
        return await ExclusiveAsync(
            async () =>
            {
                await using var command = _connection.CreateCommand();
                command.CommandText = """
                    SELECT invoice_id, billing_month, status, revision, issued_at, currency, total_amount, total_discount, actual_amount
                    FROM invoices WHERE customer_id = $customer_id
                    ORDER BY billing_month
                    """;
                Add(command, "customer_id", customerId);
                var headers = new List<InvoiceHeader>();
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    headers.Add(new InvoiceHeader(
                        reader.GetString(0),
                        customerId,
                        BillingMonth.Parse(reader.GetString(1)),
                        reader.GetString(2),
                        reader.GetInt64(3),
                        Utc(reader.GetDateTime(4)),
                        reader.GetString(5),
                        Amount(reader.GetDecimal(6)),
                        Amount(reader.GetDecimal(7)),
                        Amount(reader.GetDecimal(8))));
                }

                return headers;
            },
            cancellationToken);
    }

    public async Task<IReadOnlyList<string>> ListInvoicedCustomersAsync(CancellationToken cancellationToken = default) =>
        await ExclusiveAsync(
            async () =>
            {
                await using var command = _connection.CreateCommand();
                command.CommandText = "SELECT DISTINCT customer_id FROM invoices ORDER BY customer_id";
                var customers = new List<string>();
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    customers.Add(reader.GetString(0));
                }

                return customers;
            },
            cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            await _connection.DisposeAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The condition on the account (with its parameter), or nothing for every account.</summary>
    private static string AccountFilter(DbCommand command, string? customerId, string keyword)
    {
        if (customerId is null)
        {
            return string.Empty;
        }

        Add(command, "customer_id", customerId);
        return $" {keyword} customer_id = $customer_id";
    }

    /// <summary>Runs <paramref name="work"/> with the connection to itself (a DuckDB connection is not thread-safe), failing once the store is disposed.</summary>
    private async Task<T> ExclusiveAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return await work();
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task ExclusiveAsync(Func<Task> work, CancellationToken cancellationToken) =>
        await ExclusiveAsync(
            async () =>
            {
                await work();
                return true;
            },
            cancellationToken);

    // DECIMAL(18,6) columns come back with six decimals; the invoice document (and the bill) writes amounts without
    // trailing zeros, so the list and the detail show the same text for the same amount.
    private static decimal Amount(decimal stored) => stored / 1.000000000000000000000000000000000m;

    private static DateTimeOffset Utc(DateTime timestamp) => new(DateTime.SpecifyKind(timestamp, DateTimeKind.Utc));

    private static void Add(DbCommand command, string name, object value) => command.Parameters.Add(new DuckDBParameter(name, value));

    private async Task<CdnStatusRecord?> ReadStatusAsync(string customerId, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT distribution_id, status, changed_at, cause_id, reason, distributions FROM cdn_distribution_status WHERE customer_id = $customer_id";
        Add(command, "customer_id", customerId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new CdnStatusRecord(
            customerId,
            reader.GetString(0),
            Enum.Parse<DistributionStatus>(reader.GetString(1)),
            Utc(reader.GetDateTime(2)),
            reader.GetString(3),
            reader.GetString(4))
        {
            Distributions = CdnRegistryRows.FromJson(reader.IsDBNull(5) ? null : reader.GetString(5)),
        };
    }

    private async Task<bool> CauseAppliedAsync(string causeId, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT 1 FROM cdn_applied_causes WHERE cause_id = $cause_id";
        Add(command, "cause_id", causeId);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    /// <summary>Runs <paramref name="statements"/> in order outside a transaction (preparing this connection's staging tables).</summary>
    private async Task RunAsync(string[] statements, CancellationToken cancellationToken)
    {
        foreach (var sql in statements)
        {
            await using var command = _connection.CreateCommand();
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private async Task ExecuteAsync(string sql, DbTransaction transaction, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            Add(command, name, value);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
