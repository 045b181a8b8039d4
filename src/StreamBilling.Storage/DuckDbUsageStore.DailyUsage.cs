using System.Globalization;
using System.Text;
using DuckDB.NET.Data;

namespace StreamBilling.Storage;

/// <summary>The daily usage view (<see cref="IDailyUsageStore"/>) on table <c>daily_usage</c> (<c>infra/duckdb/004_daily_usage.sql</c>).</summary>
internal sealed partial class DuckDbUsageStore : IDailyUsageStore
{
    // Rows and ids per statement: a few thousand parameters, far fewer round trips than one statement per row.
    private const int RowsPerStatement = 400;

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

        var rows = latest.Values.SelectMany(s => s.Days.Select(d => (Source: s, Piece: d))).ToList();
        await ExclusiveAsync(
            async () =>
            {
                await using var transaction = await _connection.BeginTransactionAsync(cancellationToken);
                foreach (var ids in latest.Keys.Chunk(RowsPerStatement))
                {
                    await using var delete = _connection.CreateCommand();
                    delete.Transaction = transaction;
                    var text = new StringBuilder("DELETE FROM daily_usage WHERE source_id IN (");
                    for (var i = 0; i < ids.Length; i++)
                    {
                        text.Append(i == 0 ? "$id" : ", $id").Append(i);
                        Add(delete, "id" + i.ToString(CultureInfo.InvariantCulture), ids[i]);
                    }

                    delete.CommandText = text.Append(')').ToString();
                    await delete.ExecuteNonQueryAsync(cancellationToken);
                }

                foreach (var chunk in rows.Chunk(RowsPerStatement))
                {
                    await using var insert = _connection.CreateCommand();
                    insert.Transaction = transaction;
                    var text = new StringBuilder("INSERT INTO daily_usage (source_id, usage_day, customer_id, service, figure, unit, quantity, cost, currency) VALUES ");
                    for (var i = 0; i < chunk.Length; i++)
                    {
                        var (source, piece) = chunk[i];
                        var n = i.ToString(CultureInfo.InvariantCulture);
                        text.Append(i == 0 ? string.Empty : ", ")
                            .Append(CultureInfo.InvariantCulture, $"($s{n}, CAST($d{n} AS DATE), $c{n}, $v{n}, $f{n}, $u{n}, $q{n}, $k{n}, $m{n})");
                        Add(insert, "s" + n, source.SourceId);
                        Add(insert, "d" + n, piece.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                        Add(insert, "c" + n, source.CustomerId);
                        Add(insert, "v" + n, source.Service);
                        Add(insert, "f" + n, source.Figure.ToString());
                        Add(insert, "u" + n, source.Unit);
                        Add(insert, "q" + n, piece.Quantity);
                        insert.Parameters.Add(new DuckDBParameter("k" + n, piece.Cost is { } cost ? cost : DBNull.Value));
                        Add(insert, "m" + n, source.Currency);
                    }

                    insert.CommandText = text.ToString();
                    await insert.ExecuteNonQueryAsync(cancellationToken);
                }

                await transaction.CommitAsync(cancellationToken);
            },
            cancellationToken);
    }

    public async Task<IReadOnlyList<DailyUsageTotal>> DailyUsageAsync(string customerId, string service, DateOnly firstDay, DateOnly lastDay, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(customerId);
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        return await ExclusiveAsync(
            async () =>
            {
                await using var command = _connection.CreateCommand();
                command.CommandText = """
                    SELECT CAST(usage_day AS VARCHAR), figure, unit, currency, SUM(quantity), COALESCE(SUM(cost), 0), COUNT(DISTINCT source_id)
                    FROM daily_usage
                    WHERE customer_id = $customer_id AND service = $service
                      AND usage_day >= CAST($from AS DATE) AND usage_day <= CAST($to AS DATE)
                    GROUP BY usage_day, figure, unit, currency
                    ORDER BY usage_day, figure, unit, currency
                    """;
                Add(command, "customer_id", customerId);
                Add(command, "service", service);
                Add(command, "from", firstDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                Add(command, "to", lastDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                var totals = new List<DailyUsageTotal>();
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    totals.Add(new DailyUsageTotal(
                        DateOnly.ParseExact(reader.GetString(0), "yyyy-MM-dd", CultureInfo.InvariantCulture),
                        Enum.Parse<DailyUsageFigure>(reader.GetString(1)),
                        reader.GetString(2),
                        reader.GetString(3),
                        Amount(reader.GetDecimal(4)),
                        Amount(reader.GetDecimal(5)),
                        reader.GetInt64(6)));
                }

                return totals;
            },
            cancellationToken);
    }
}
