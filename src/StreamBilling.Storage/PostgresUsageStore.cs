using Npgsql;
using StreamBilling.Billing;

namespace StreamBilling.Storage;

/// <summary>
/// <see cref="IUsageStore"/> on a PostgreSQL server that several processes share: the schema of
/// <c>infra/postgres/NNN_name.sql</c> (<see cref="PostgresMigrations"/>), pooled connections, and every write one
/// statement or one transaction, so two hosts writing the same rows, invoices or CDN causes cannot double-apply them.
/// </summary>
internal sealed partial class PostgresUsageStore : IUsageStore
{
    private readonly NpgsqlDataSource _dataSource;

    private PostgresUsageStore(NpgsqlDataSource dataSource) => _dataSource = dataSource;

    public static async Task<IUsageStore> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        NpgsqlDataSource dataSource;
        string target;
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            target = Describe(builder);
            dataSource = NpgsqlDataSource.Create(builder);
        }
        catch (ArgumentException e)
        {
            throw new UsageStoreUnavailableException($"The PostgreSQL connection string is not valid: {e.Message}", e);
        }

        try
        {
            await PostgresMigrations.ApplyAsync(dataSource, cancellationToken);
            return new PostgresUsageStore(dataSource);
        }
        catch (NpgsqlException e)
        {
            await dataSource.DisposeAsync();
            throw new UsageStoreUnavailableException($"Cannot open the PostgreSQL store at {target}: {e.Message}", e);
        }
        catch
        {
            await dataSource.DisposeAsync();
            throw;
        }
    }

    public static string Describe(NpgsqlConnectionStringBuilder builder) =>
        $"{builder.Host}:{builder.Port}/{builder.Database}" + (string.IsNullOrEmpty(builder.SearchPath) ? string.Empty : $" (schema {builder.SearchPath})");

    public async Task UpsertAsync(IReadOnlyCollection<RollupRow> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return;
        }

        await using var command = _dataSource.CreateCommand(PostgresRollupSql.Upsert);
        PostgresRollupSql.BindUpsert(command, PostgresRollupSql.LastPerKeyInKeyOrder(rows));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<string>> PartitionKeysAsync(string? customerId, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand(customerId is null ? PostgresRollupSql.PartitionKeys : PostgresRollupSql.AccountPartitionKeys);
        if (customerId is not null)
        {
            PostgresParameters.Add(command, "customer_id", customerId);
        }

        var keys = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(reader.GetString(0));
        }

        // The database's collation may not be ordinal.
        keys.Sort(StringComparer.Ordinal);
        return keys;
    }

    public async Task<IReadOnlyList<WeeklyUsage>> WeeklyAsync(WeeklyUsageQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var command = _dataSource.CreateCommand(PostgresRollupSql.Weekly);
        PostgresRollupSql.BindWeekly(command, query);
        var weeks = new List<WeeklyUsage>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            weeks.Add(PostgresRollupSql.ReadWeekly(reader));
        }

        return weeks;
    }

    public async Task<CdnStatusRecord?> GetAsync(string customerId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(customerId);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await ReadStatusAsync(connection, null, customerId, cancellationToken);
    }

    public async Task<CdnStatusTransition> ApplyAsync(CdnStatusUpdate update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        ArgumentException.ThrowIfNullOrWhiteSpace(update.CustomerId);
        ArgumentException.ThrowIfNullOrWhiteSpace(update.CauseId);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // Changes of one customer's status take turns across processes until commit: the status row may not exist yet,
        // so a row lock could not order the first two changes, and each must see the other's result as its previous status.
        await using (var turn = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended('streambilling.cdn_status:' || @customer_id, 0))", connection, transaction))
        {
            PostgresParameters.Add(turn, "customer_id", update.CustomerId);
            await turn.ExecuteNonQueryAsync(cancellationToken);
        }

        var current = await ReadStatusAsync(connection, transaction, update.CustomerId, cancellationToken);
        var previous = current?.Status ?? DistributionStatus.Enabled;
        await using (var remember = new NpgsqlCommand(
            "INSERT INTO cdn_applied_causes (cause_id, customer_id, applied_at) VALUES (@cause_id, @customer_id, @applied_at) ON CONFLICT (cause_id) DO NOTHING",
            connection,
            transaction))
        {
            PostgresParameters.Add(remember, "cause_id", update.CauseId);
            PostgresParameters.Add(remember, "customer_id", update.CustomerId);
            PostgresParameters.Add(remember, "applied_at", update.ChangedAt.ToUniversalTime());
            if (await remember.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                return new CdnStatusTransition(AlreadyApplied: true, previous, current);
            }
        }

        if (current is null || current.Status != update.Status)
        {
            await using var write = new NpgsqlCommand(
                """
                INSERT INTO cdn_distribution_status (customer_id, distribution_id, status, changed_at, cause_id, reason, distributions)
                VALUES (@customer_id, @distribution_id, @status, @changed_at, @cause_id, @reason, @distributions)
                ON CONFLICT (customer_id) DO UPDATE SET
                    distribution_id = excluded.distribution_id, status = excluded.status, changed_at = excluded.changed_at,
                    cause_id = excluded.cause_id, reason = excluded.reason, distributions = excluded.distributions
                """,
                connection,
                transaction);
            PostgresParameters.Add(write, "customer_id", update.CustomerId);
            PostgresParameters.Add(write, "distribution_id", update.DistributionId);
            PostgresParameters.Add(write, "status", update.Status.ToString());
            PostgresParameters.Add(write, "changed_at", update.ChangedAt.ToUniversalTime());
            PostgresParameters.Add(write, "cause_id", update.CauseId);
            PostgresParameters.Add(write, "reason", update.Reason);
            PostgresParameters.Add(write, "distributions", CdnRegistryRows.ToJson(update.Distributions));
            await write.ExecuteNonQueryAsync(cancellationToken);
            current = new CdnStatusRecord(update.CustomerId, update.DistributionId, update.Status, update.ChangedAt, update.CauseId, update.Reason)
            {
                Distributions = update.Distributions,
            };
        }

        await transaction.CommitAsync(cancellationToken);
        return new CdnStatusTransition(AlreadyApplied: false, previous, current);
    }

    public async Task UpsertInvoicesAsync(IReadOnlyCollection<StoredInvoice> invoices, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(invoices);
        if (invoices.Count == 0)
        {
            return;
        }

        // One row per invoice (one INSERT … ON CONFLICT may not touch a row twice): the highest revision, the last of
        // equal ones, as storing them one after the other would leave. Key order keeps concurrent batches from deadlocking.
        var latest = new Dictionary<string, StoredInvoice>(StringComparer.Ordinal);
        foreach (var invoice in invoices)
        {
            if (!latest.TryGetValue(invoice.Header.InvoiceId, out var kept) || invoice.Header.Revision >= kept.Header.Revision)
            {
                latest[invoice.Header.InvoiceId] = invoice;
            }
        }

        List<StoredInvoice> rows = [.. latest.Values.OrderBy(i => i.Header.InvoiceId, StringComparer.Ordinal)];

        // The WHERE keeps a newer revision when an older one is replayed; an equal revision is the same version again.
        await using var command = _dataSource.CreateCommand(
            """
            INSERT INTO invoices (invoice_id, customer_id, billing_month, status, revision, issued_at, currency, total_amount, total_discount, actual_amount, event_id, document)
            SELECT * FROM unnest(@invoice_id, @customer_id, @billing_month, @status, @revision, @issued_at, @currency, @total_amount, @total_discount, @actual_amount, @event_id, @document)
            ON CONFLICT (invoice_id) DO UPDATE SET
                status = excluded.status, revision = excluded.revision, issued_at = excluded.issued_at, currency = excluded.currency,
                total_amount = excluded.total_amount, total_discount = excluded.total_discount, actual_amount = excluded.actual_amount,
                event_id = excluded.event_id, document = excluded.document
            WHERE excluded.revision >= invoices.revision
            """);
        PostgresParameters.AddColumn(command, "invoice_id", rows, i => i.Header.InvoiceId);
        PostgresParameters.AddColumn(command, "customer_id", rows, i => i.Header.CustomerId);
        PostgresParameters.AddColumn(command, "billing_month", rows, i => i.Header.BillingMonth.ToString());
        PostgresParameters.AddColumn(command, "status", rows, i => i.Header.Status);
        PostgresParameters.AddColumn(command, "revision", rows, i => i.Header.Revision);
        PostgresParameters.AddColumn(command, "issued_at", rows, i => i.Header.IssuedAt.ToUniversalTime());
        PostgresParameters.AddColumn(command, "currency", rows, i => i.Header.Currency);
        PostgresParameters.AddColumn(command, "total_amount", rows, i => i.Header.TotalAmount);
        PostgresParameters.AddColumn(command, "total_discount", rows, i => i.Header.TotalDiscount);
        PostgresParameters.AddColumn(command, "actual_amount", rows, i => i.Header.ActualAmount);
        PostgresParameters.AddColumn(command, "event_id", rows, i => i.EventId);
        PostgresParameters.AddColumn(command, "document", rows, i => i.Document);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<StoredInvoice?> GetInvoiceAsync(string customerId, BillingMonth billingMonth, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(customerId);
        await using var command = _dataSource.CreateCommand(
            """
            SELECT invoice_id, status, revision, issued_at, currency, total_amount, total_discount, actual_amount, event_id, document
            FROM invoices WHERE customer_id = @customer_id AND billing_month = @billing_month
            """);
        PostgresParameters.Add(command, "customer_id", customerId);
        PostgresParameters.Add(command, "billing_month", billingMonth.ToString());
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
            reader.GetFieldValue<DateTimeOffset>(3),
            reader.GetString(4),
            Amount(reader.GetDecimal(5)),
            Amount(reader.GetDecimal(6)),
            Amount(reader.GetDecimal(7)));
        return new StoredInvoice(header, reader.GetString(8), reader.GetString(9));
    }

    public async Task<IReadOnlyList<string>> ListInvoicedCustomersAsync(CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("SELECT DISTINCT customer_id FROM invoices");
        var customers = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            customers.Add(reader.GetString(0));
        }

        // The database's collation may not be ordinal.
        customers.Sort(StringComparer.Ordinal);
        return customers;
    }

    public async Task<IReadOnlyList<InvoiceHeader>> ListInvoicesAsync(string customerId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(customerId);
        await using var command = _dataSource.CreateCommand(
            """
            SELECT invoice_id, billing_month, status, revision, issued_at, currency, total_amount, total_discount, actual_amount
            FROM invoices WHERE customer_id = @customer_id
            ORDER BY billing_month COLLATE "C"
            """);
        PostgresParameters.Add(command, "customer_id", customerId);
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
                reader.GetFieldValue<DateTimeOffset>(4),
                reader.GetString(5),
                Amount(reader.GetDecimal(6)),
                Amount(reader.GetDecimal(7)),
                Amount(reader.GetDecimal(8))));
        }

        return headers;
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    // numeric(24,6) columns come back with six decimals; the invoice document (and the bill) writes amounts without
    // trailing zeros, so the list and the detail show the same text for the same amount.
    private static decimal Amount(decimal stored) => stored / 1.000000000000000000000000000000000m;

    private static async Task<CdnStatusRecord?> ReadStatusAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string customerId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT distribution_id, status, changed_at, cause_id, reason, distributions FROM cdn_distribution_status WHERE customer_id = @customer_id",
            connection,
            transaction);
        PostgresParameters.Add(command, "customer_id", customerId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new CdnStatusRecord(
            customerId,
            reader.GetString(0),
            Enum.Parse<DistributionStatus>(reader.GetString(1)),
            reader.GetFieldValue<DateTimeOffset>(2),
            reader.GetString(3),
            reader.GetString(4))
        {
            Distributions = CdnRegistryRows.FromJson(reader.GetString(5)),
        };
    }
}
