using Npgsql;

namespace StreamBilling.Storage;

/// <summary>
/// Everything <see cref="PostgresUsageStore"/> says to <c>hourly_rollups</c>, in one place: a new column or key column
/// changes this file and adds a migration in <c>infra/postgres</c>.
/// </summary>
internal static class PostgresRollupSql
{
    /// <summary>One statement for a whole batch (arrays unnested into rows): a row with the same key replaces the stored one.</summary>
    public const string Upsert = """
        INSERT INTO hourly_rollups (customer_id, partition_key, iso_week, hour_start, service, region, role, usage_quantity, usage_unit, cost, currency, line_count, event_id)
        SELECT * FROM unnest(@customer_id, @partition_key, @iso_week, @hour_start, @service, @region, @role, @usage_quantity, @usage_unit, @cost, @currency, @line_count, @event_id)
        ON CONFLICT (customer_id, partition_key, iso_week, hour_start, service) DO UPDATE SET
            region = excluded.region, role = excluded.role, usage_quantity = excluded.usage_quantity,
            usage_unit = excluded.usage_unit, cost = excluded.cost, currency = excluded.currency,
            line_count = excluded.line_count, event_id = excluded.event_id
        """;

    /// <summary>The distinct partition keys of every account (the index on partition_key makes it a short scan).</summary>
    public const string PartitionKeys = "SELECT DISTINCT partition_key FROM hourly_rollups";

    /// <summary>The distinct partition keys of one account: a range of the primary key.</summary>
    public const string AccountPartitionKeys = "SELECT DISTINCT partition_key FROM hourly_rollups WHERE customer_id = @customer_id";

    /// <summary>Usage and cost per ISO week of one partition and service, cut to [from, until), of one account or every account summed.</summary>
    public const string Weekly = """
        SELECT region, role, iso_week, SUM(usage_quantity), SUM(cost), COUNT(*)
        FROM hourly_rollups
        WHERE partition_key = @partition_key AND service = @service
          AND iso_week >= @from_week AND iso_week <= @to_week
          AND hour_start >= @from AND hour_start < @until
          AND (@customer_id::text IS NULL OR customer_id = @customer_id)
        GROUP BY region, role, iso_week
        ORDER BY iso_week COLLATE "C", region COLLATE "C", role COLLATE "C"
        """;

    /// <summary>
    /// The rows to send, one per key in key order: the last of several rows with one key wins (as if stored one after the
    /// other), since one INSERT … ON CONFLICT may not touch a row twice; the fixed order makes two processes storing
    /// overlapping batches lock rows in the same order instead of deadlocking.
    /// </summary>
    public static IReadOnlyList<RollupRow> LastPerKeyInKeyOrder(IEnumerable<RollupRow> rows)
    {
        var byKey = new Dictionary<(string, string, string, DateTimeOffset, string), RollupRow>();
        foreach (var row in rows)
        {
            byKey[(row.CustomerId, row.PartitionKey, row.IsoWeek, row.HourStart.ToUniversalTime(), row.Service)] = row;
        }

        return [.. byKey.OrderBy(p => p.Key.Item1, StringComparer.Ordinal)
            .ThenBy(p => p.Key.Item2, StringComparer.Ordinal)
            .ThenBy(p => p.Key.Item3, StringComparer.Ordinal)
            .ThenBy(p => p.Key.Item4)
            .ThenBy(p => p.Key.Item5, StringComparer.Ordinal)
            .Select(p => p.Value)];
    }

    public static void BindUpsert(NpgsqlCommand command, IReadOnlyList<RollupRow> rows)
    {
        Add(command, "customer_id", rows, r => r.CustomerId);
        Add(command, "partition_key", rows, r => r.PartitionKey);
        Add(command, "iso_week", rows, r => r.IsoWeek);
        Add(command, "hour_start", rows, r => r.HourStart.ToUniversalTime());
        Add(command, "service", rows, r => r.Service);
        Add(command, "region", rows, r => r.Region);
        Add(command, "role", rows, r => r.Role);
        Add(command, "usage_quantity", rows, r => r.UsageQuantity);
        Add(command, "usage_unit", rows, r => r.UsageUnit);
        Add(command, "cost", rows, r => r.Cost);
        Add(command, "currency", rows, r => r.Currency);
        Add(command, "line_count", rows, r => r.LineCount);
        Add(command, "event_id", rows, r => r.EventId);
    }

    public static void BindWeekly(NpgsqlCommand command, WeeklyUsageQuery query)
    {
        command.Parameters.Add(new NpgsqlParameter("customer_id", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)query.CustomerId ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter<string>("partition_key", query.PartitionKey));
        command.Parameters.Add(new NpgsqlParameter<string>("service", query.Service));
        command.Parameters.Add(new NpgsqlParameter<string>("from_week", query.FromWeek));
        command.Parameters.Add(new NpgsqlParameter<string>("to_week", query.ToWeek));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("from", (query.From ?? DateTimeOffset.UnixEpoch).ToUniversalTime()));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("until", (query.Until ?? new DateTimeOffset(9999, 1, 1, 0, 0, 0, TimeSpan.Zero)).ToUniversalTime()));
    }

    public static WeeklyUsage ReadWeekly(NpgsqlDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetDecimal(3), reader.GetDecimal(4), reader.GetInt64(5));

    private static void Add<T>(NpgsqlCommand command, string name, IReadOnlyList<RollupRow> rows, Func<RollupRow, T> column) =>
        PostgresParameters.AddColumn(command, name, rows, column);
}
