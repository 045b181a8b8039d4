using Npgsql;

namespace StreamBilling.Storage;

/// <summary>The daily usage view (<see cref="IDailyUsageStore"/>) on table <c>daily_usage</c> (<c>infra/postgres/003_daily_usage.sql</c>).</summary>
internal sealed partial class PostgresUsageStore : IDailyUsageStore
{
    public async Task UpsertDailyUsageAsync(IReadOnlyCollection<DailyUsageSource> sources, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sources);
        if (sources.Count == 0)
        {
            return;
        }

        var latest = new Dictionary<string, DailyUsageSource>(StringComparer.Ordinal);
        foreach (var source in sources)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(source.SourceId);
            latest[source.SourceId] = source;
        }

        // In key order, so two hosts storing overlapping batches lock rows in the same order.
        var rows = latest.Values
            .SelectMany(s => s.Days.Select(d => (Source: s, Piece: d)))
            .OrderBy(r => r.Source.SourceId, StringComparer.Ordinal)
            .ThenBy(r => r.Piece.Day)
            .ToList();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var delete = new NpgsqlCommand("DELETE FROM daily_usage WHERE source_id = ANY(@ids)", connection, transaction))
        {
            delete.Parameters.Add(new NpgsqlParameter<string[]>("ids", [.. latest.Keys.Order(StringComparer.Ordinal)]));
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }

        if (rows.Count > 0)
        {
            // A concurrent writer of the same record inserted after this delete: its rows are replaced, not doubled.
            await using var insert = new NpgsqlCommand(
                """
                INSERT INTO daily_usage (source_id, usage_day, customer_id, service, figure, unit, quantity, cost, currency)
                SELECT * FROM unnest(@source_id, @usage_day, @customer_id, @service, @figure, @unit, @quantity, @cost, @currency)
                ON CONFLICT (source_id, usage_day) DO UPDATE SET
                    customer_id = excluded.customer_id, service = excluded.service, figure = excluded.figure, unit = excluded.unit,
                    quantity = excluded.quantity, cost = excluded.cost, currency = excluded.currency
                """,
                connection,
                transaction);
            PostgresParameters.AddColumn(insert, "source_id", rows, r => r.Source.SourceId);
            PostgresParameters.AddColumn(insert, "usage_day", rows, r => r.Piece.Day);
            PostgresParameters.AddColumn(insert, "customer_id", rows, r => r.Source.CustomerId);
            PostgresParameters.AddColumn(insert, "service", rows, r => r.Source.Service);
            PostgresParameters.AddColumn(insert, "figure", rows, r => r.Source.Figure.ToString());
            PostgresParameters.AddColumn(insert, "unit", rows, r => r.Source.Unit);
            PostgresParameters.AddColumn(insert, "quantity", rows, r => r.Piece.Quantity);
            PostgresParameters.AddColumn(insert, "cost", rows, r => r.Piece.Cost);
            PostgresParameters.AddColumn(insert, "currency", rows, r => r.Source.Currency);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<DailyUsageTotal>> DailyUsageAsync(string customerId, string service, DateOnly firstDay, DateOnly lastDay, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(customerId);
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        await using var command = _dataSource.CreateCommand(
            """
            SELECT usage_day, figure, unit, currency, SUM(quantity), COALESCE(SUM(cost), 0), COUNT(DISTINCT source_id)
            FROM daily_usage
            WHERE customer_id = @customer_id AND service = @service AND usage_day >= @from AND usage_day <= @to
            GROUP BY usage_day, figure, unit, currency
            ORDER BY usage_day, figure COLLATE "C", unit COLLATE "C", currency COLLATE "C"
            """);
        PostgresParameters.Add(command, "customer_id", customerId);
        PostgresParameters.Add(command, "service", service);
        PostgresParameters.Add(command, "from", firstDay);
        PostgresParameters.Add(command, "to", lastDay);
        var totals = new List<DailyUsageTotal>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            totals.Add(new DailyUsageTotal(
                reader.GetFieldValue<DateOnly>(0),
                Enum.Parse<DailyUsageFigure>(reader.GetString(1)),
                reader.GetString(2),
                reader.GetString(3),
                Amount(reader.GetDecimal(4)),
                Amount(reader.GetDecimal(5)),
                reader.GetInt64(6)));
        }

        return totals;
    }
}
