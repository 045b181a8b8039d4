using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Npgsql;
using StreamBilling.Storage;

namespace StreamBilling.Cli.Commands;

/// <summary>
/// <c>streambilling bench store</c>: the same code against each store backend: upserting hourly rollup rows in the rollup
/// sink's batches (rows/s), then the analyst's weekly-cost report for one month over every partition
/// (<see cref="WeeklyCostReport"/>, p50/p99) on those rows. DuckDB runs on a temporary file; PostgreSQL in a temporary
/// schema of the server given by <c>--store-connection</c> (or <c>Storage__ConnectionString</c>,
/// <c>STREAMBILLING_TEST_POSTGRES</c>, <c>.streambilling/postgres/connection-string</c> as <c>infra/postgres/start</c> writes it).
/// </summary>
internal sealed class StoreBench : IBenchCommand
{
    // Rows spread over this many accounts, as a store of many customers holds them.
    private const int Accounts = 50;
    private static readonly string[] Regions = ["us-east-1", "us-east-2", "eu-west-1", "ap-southeast-2"];
    private static readonly string[] Roles = ["Admin", "WebServer", "Batch", "Analytics", "unknown"];
    private static readonly string[] Services = ["Ec2", "S3", "DynamoDb"];
    private static readonly DateTimeOffset FirstHour = new(2023, 1, 2, 0, 0, 0, TimeSpan.Zero);

    public Command Create()
    {
        var provider = new Option<string>("--provider") { Description = "duckdb, postgres, or all (DuckDB, and PostgreSQL when a server is given or found).", DefaultValueFactory = _ => "all" };
        var rows = new Option<int>("--rows") { Description = "Rollup rows stored (20 region#role partitions × 3 services × consecutive hours).", DefaultValueFactory = _ => 1_000_000 };
        var batch = new Option<int>("--batch") { Description = "Rows per upsert call (the rollup sink's MaxBatchSize default).", DefaultValueFactory = _ => 1_000 };
        var queries = new Option<int>("--queries") { Description = "Weekly-cost reports timed (after 5 untimed).", DefaultValueFactory = _ => 100 };
        var connection = new Option<string?>("--store-connection") { Description = "PostgreSQL server (Npgsql connection string); the bench creates and drops its own schema there." };
        var command = new Command("store", "Store backends compared: rollup upsert rows/s and weekly-cost query latency (p50/p99), same code, same rows.")
        {
            provider, rows, batch, queries, connection,
        };
        command.SetAction((ParseResult pr, CancellationToken ct) =>
            RunAsync(pr.GetValue(provider)!, pr.GetValue(rows), pr.GetValue(batch), pr.GetValue(queries), pr.GetValue(connection), ct));
        return command;
    }

    private static async Task<int> RunAsync(string providers, int rowCount, int batchSize, int queryCount, string? connectionString, CancellationToken cancellationToken)
    {
        if (rowCount < 1000 || batchSize < 1 || queryCount < 1)
        {
            await Console.Error.WriteLineAsync("--rows must be at least 1000, --batch and --queries at least 1.");
            return 1;
        }

        var wantDuckDb = providers is "all" or "duckdb";
        var wantPostgres = providers is "all" or "postgres";
        if (!wantDuckDb && !wantPostgres)
        {
            await Console.Error.WriteLineAsync($"--provider must be duckdb, postgres or all, not '{providers}'.");
            return 1;
        }

        connectionString ??= FindPostgres();
        if (providers == "postgres" && connectionString is null)
        {
            await Console.Error.WriteLineAsync("No PostgreSQL server: give --store-connection, or run infra/postgres/start.");
            return 1;
        }

        var hours = (rowCount + (Partitions.Count * Services.Length) - 1) / (Partitions.Count * Services.Length);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{rowCount:N0} rollup rows ({Partitions.Count} partitions × {Services.Length} services × {hours:N0} hours from {FirstHour:yyyy-MM-dd}), batches of {batchSize:N0}, {queryCount} weekly-cost reports; {Environment.ProcessorCount} cores, load {LoadAverage()}"));
        var results = new List<BenchResult>();
        if (wantDuckDb)
        {
            var folder = Directory.CreateTempSubdirectory("streambilling-bench-store-");
            try
            {
                results.Add(await MeasureAsync("DuckDB", () => UsageStores.OpenDuckDbAsync(Path.Combine(folder.FullName, "usage.duckdb"), cancellationToken), rowCount, batchSize, queryCount, cancellationToken));
            }
            finally
            {
                folder.Delete(recursive: true);
            }
        }

        if (wantPostgres && connectionString is not null)
        {
            var schema = "bench_" + Guid.NewGuid().ToString("N");
            try
            {
                await ExecuteAsync(connectionString, $"CREATE SCHEMA {schema}", cancellationToken);
            }
            catch (NpgsqlException e)
            {
                await Console.Error.WriteLineAsync($"PostgreSQL skipped: cannot reach {UsageStores.DescribePostgres(connectionString)}: {e.Message}");
                connectionString = null;
            }

            if (connectionString is not null)
            {
                try
                {
                    var inSchema = new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = schema }.ConnectionString;
                    results.Add(await MeasureAsync($"PostgreSQL {UsageStores.DescribePostgres(connectionString)}", () => UsageStores.OpenPostgresAsync(inSchema, cancellationToken), rowCount, batchSize, queryCount, cancellationToken));
                }
                finally
                {
                    await ExecuteAsync(connectionString, $"DROP SCHEMA {schema} CASCADE", CancellationToken.None);
                }
            }
        }

        Console.WriteLine();
        Console.WriteLine($"{"backend",-44} {"upsert rows/s",14} {"report p50 ms",14} {"report p99 ms",14} {"one partition p50 ms",21}");
        foreach (var r in results)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r.Backend,-44} {r.RowsPerSecond,14:N0} {r.ReportP50.TotalMilliseconds,14:F2} {r.ReportP99.TotalMilliseconds,14:F2} {r.PartitionP50.TotalMilliseconds,21:F2}"));
        }

        if (results.Count == 2)
        {
            var (duck, postgres) = (results[0], results[1]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"PostgreSQL / DuckDB: upsert {postgres.RowsPerSecond / duck.RowsPerSecond:F2}×, report p50 {postgres.ReportP50 / duck.ReportP50:F2}×, p99 {postgres.ReportP99 / duck.ReportP99:F2}×, one partition p50 {postgres.PartitionP50 / duck.PartitionP50:F2}×"));
        }

        return 0;
    }

    private static async Task<BenchResult> MeasureAsync(string backend, Func<Task<IUsageStore>> open, int rowCount, int batchSize, int queryCount, CancellationToken cancellationToken)
    {
        await using var store = await open();
        var clock = Stopwatch.StartNew();
        foreach (var batch in Rows(rowCount).Chunk(batchSize))
        {
            await store.UpsertAsync(batch, cancellationToken);
        }

        var upsert = clock.Elapsed;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{backend}: {rowCount:N0} rows upserted in {upsert.TotalSeconds:F1} s"));

        // Months inside the data, drawn with a fixed seed so both backends answer the same questions.
        var lastHour = FirstHour.AddHours(rowCount / (Partitions.Count * Services.Length));
        var months = Enumerable.Range(0, 1000)
            .Select(i => new DateTimeOffset(FirstHour.Year, FirstHour.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(i + 1))
            .TakeWhile(m => m.AddMonths(1) <= lastHour)
            .ToList();
        if (months.Count == 0)
        {
            months.Add(new DateTimeOffset(FirstHour.Year, FirstHour.Month, 1, 0, 0, 0, TimeSpan.Zero));
        }

        var random = new Random(7);
        var reports = new List<TimeSpan>();
        var partitions = new List<TimeSpan>();
        for (var i = 0; i < queryCount + 5; i++)
        {
            var month = months[random.Next(months.Count)];
            var started = Stopwatch.GetTimestamp();
            var report = await WeeklyCostReport.QueryAsync(store, null, "Ec2", month, month.AddMonths(1), cancellationToken);
            var reportTime = Stopwatch.GetElapsedTime(started);
            started = Stopwatch.GetTimestamp();
            await store.WeeklyAsync(WeeklyUsageQuery.ForPeriod(null, Partitions[random.Next(Partitions.Count)], "Ec2", month, month.AddMonths(1)), cancellationToken);
            var partitionTime = Stopwatch.GetElapsedTime(started);
            if (report.Count == 0)
            {
                throw new InvalidOperationException($"{backend}: the report for {month:yyyy-MM} is empty; the bench measured nothing.");
            }

            if (i >= 5)
            {
                reports.Add(reportTime);
                partitions.Add(partitionTime);
            }
        }

        return new BenchResult(backend, rowCount / upsert.TotalSeconds, Percentile(reports, 0.50), Percentile(reports, 0.99), Percentile(partitions, 0.50));
    }

    private static IReadOnlyList<string> Partitions { get; } = [.. Regions.SelectMany(region => Roles.Select(role => RollupRow.PartitionKeyOf(region, role)))];

    /// <summary>Hour after hour, every partition and service of the hour: the order the rollup topic delivers them in.</summary>
    private static IEnumerable<RollupRow> Rows(int count)
    {
        var produced = 0;
        for (var hour = 0; ; hour++)
        {
            foreach (var region in Regions)
            {
                foreach (var role in Roles)
                {
                    foreach (var service in Services)
                    {
                        if (produced++ == count)
                        {
                            yield break;
                        }

                        var start = FirstHour.AddHours(hour);
                        var minutes = 1 + (produced % 600);
                        var customer = $"CUST{produced % Accounts:D4}";
                        yield return new RollupRow(customer, region, role, service, start, minutes, "Minutes", minutes * 0.0116m, "USD", 1 + (produced % 7), $"{customer}/{region}#{role}/{service}/{start:yyyyMMddHH}");
                    }
                }
            }
        }
    }

    private static TimeSpan Percentile(List<TimeSpan> samples, double quantile)
    {
        var sorted = samples.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(quantile * sorted.Count) - 1)];
    }

    private static string? FindPostgres()
    {
        var named = Environment.GetEnvironmentVariable(UsageStoreOptions.ConnectionVariable) ?? Environment.GetEnvironmentVariable("STREAMBILLING_TEST_POSTGRES");
        if (!string.IsNullOrWhiteSpace(named))
        {
            return named;
        }

        var file = Path.Combine(".streambilling", "postgres", "connection-string");
        return File.Exists(file) ? File.ReadAllText(file).Trim() : null;
    }

    private static async Task ExecuteAsync(string connectionString, string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

    private sealed record BenchResult(string Backend, double RowsPerSecond, TimeSpan ReportP50, TimeSpan ReportP99, TimeSpan PartitionP50);
}
