using System.Data.Common;
using System.Globalization;
using System.Text;
using DuckDB.NET.Data;
using StreamBilling.Billing;
using StreamBilling.Storage;

namespace StreamBilling.Cur;

/// <summary>
/// The CUR part of the DuckDB store file the host and CLI share (<c>.streambilling/usage.duckdb</c>): one table per
/// export and billing period, <c>cur_&lt;export&gt;_&lt;yyyy&gt;_&lt;MM&gt;</c>, the view <c>cur_line_items</c> that unions
/// them by column name, the bookkeeping table <c>cur_imports</c> and the account map <c>cur_account_map</c>
/// (migration <c>infra/duckdb/004_cur.sql</c>). Like the rest of that file, one process at a time.
/// </summary>
public sealed class CurStore : IAsyncDisposable
{
    private CurStore(DuckDBConnection connection, string path)
    {
        Connection = connection;
        Path = path;
    }

    /// <summary>The store file.</summary>
    public string Path { get; }

    internal DuckDBConnection Connection { get; }

    /// <summary>Opens <paramref name="path"/> (created when new), migrated to the newest schema first.</summary>
    /// <exception cref="UsageStoreLockedException">Another process (a running host) has the file open.</exception>
    /// <exception cref="UsageStoreSchemaException">The file's schema is newer than this code, or a migration failed.</exception>
    public static async Task<CurStore> OpenAsync(string path, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);

        // The usage store owns the schema: opening it once applies every migration (004_cur.sql included).
        await using (await UsageStores.OpenDuckDbAsync(path, time, cancellationToken).ConfigureAwait(false))
        {
        }

        var connection = new DuckDBConnection($"Data Source={path}");
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);

            // Line items in insertion order buy nothing, and keeping it makes DuckDB hold more of a big import in memory.
            await ExecuteAsync(connection, null, "SET preserve_insertion_order = false", cancellationToken).ConfigureAwait(false);

            // Zoned timestamps (Parquet) convert to the store's UTC TIMESTAMP in the session's zone: make that UTC.
            await ExecuteAsync(connection, null, "SET TimeZone = 'UTC'", cancellationToken).ConfigureAwait(false);
            return new CurStore(connection, path);
        }
        catch (DuckDBException e) when (e.Message.Contains("lock", StringComparison.OrdinalIgnoreCase))
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new UsageStoreLockedException($"The store '{path}' is in use by another process (a running host keeps it open): stop that process first, or open a copy of the file.", e);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The periods imported, by export and period.</summary>
    public async Task<IReadOnlyList<CurImportRecord>> ImportsAsync(CancellationToken cancellationToken)
    {
        await using var command = Connection.CreateCommand();
        command.CommandText = """
            SELECT export_name, billing_period, cur_version, manifest_key, manifest_id, table_name, report_files, row_count, imported_at
            FROM cur_imports ORDER BY export_name, billing_period
            """;
        var records = new List<CurImportRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            records.Add(new CurImportRecord(
                reader.GetString(0),
                BillingMonthText.Parse(reader.GetString(1)),
                CurVersions.Parse(reader.GetString(2)),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetString(5),
                reader.GetInt32(6),
                reader.GetInt64(7),
                new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(8), DateTimeKind.Utc))));
        }

        return records;
    }

    /// <summary>
    /// Replaces the account map with the rows of <paramref name="csvPath"/> (header <c>cur_account_id,customer_id</c>),
    /// in one transaction; returns how many rows it holds now.
    /// </summary>
    /// <exception cref="CurImportException">The file is missing, lacks a column, or has a blank or repeated account id.</exception>
    public async Task<int> ReplaceAccountMapAsync(string csvPath, CancellationToken cancellationToken)
    {
        if (!File.Exists(csvPath))
        {
            throw new CurImportException($"The account map '{csvPath}' does not exist.");
        }

        await using var transaction = await Connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await ExecuteAsync(Connection, transaction, "DELETE FROM cur_account_map", cancellationToken).ConfigureAwait(false);

            // As text: an AWS account id is 12 digits and its leading zeros are part of it.
            var inserted = await ExecuteAsync(
                Connection,
                transaction,
                $"""
                INSERT INTO cur_account_map (cur_account_id, customer_id)
                SELECT trim(cur_account_id), trim(customer_id)
                FROM read_csv({Literal(csvPath)}, header = true, all_varchar = true, delim = ',', quote = '"', escape = '"', strict_mode = true)
                """,
                cancellationToken).ConfigureAwait(false);
            await using (var check = Connection.CreateCommand())
            {
                check.Transaction = transaction;
                check.CommandText = """
                    SELECT count(*) FILTER (WHERE coalesce(cur_account_id, '') = '' OR coalesce(customer_id, '') = ''),
                           count(*) - count(DISTINCT cur_account_id)
                    FROM cur_account_map
                    """;
                await using var reader = await check.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                if (reader.GetInt64(0) > 0 || reader.GetInt64(1) > 0)
                {
                    throw new CurImportException($"The account map '{csvPath}' has {reader.GetInt64(0)} row(s) with a blank id and {reader.GetInt64(1)} repeated CUR account id(s); each CUR account maps to one customer.");
                }
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return inserted;
        }
        catch (DuckDBException e)
        {
            await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            throw new CurImportException($"The account map '{csvPath}' cannot be read (header cur_account_id,customer_id): {e.Message}", e);
        }
        catch
        {
            await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    public ValueTask DisposeAsync() => Connection.DisposeAsync();

    /// <summary><c>cur_&lt;export&gt;_&lt;yyyy&gt;_&lt;MM&gt;</c>, the export name folded to lower-case letters, digits and <c>_</c>.</summary>
    internal static string TableName(string exportName, BillingMonth period)
    {
        var name = new StringBuilder("cur_");
        foreach (var c in exportName.ToLowerInvariant())
        {
            name.Append(char.IsAsciiLetterOrDigit(c) ? c : '_');
        }

        return name.Append(CultureInfo.InvariantCulture, $"_{period.Year:D4}_{period.Month:D2}").ToString();
    }

    /// <summary>Rebuilds <c>cur_line_items</c> over the tables <c>cur_imports</c> lists, inside <paramref name="transaction"/>.</summary>
    internal async Task RebuildViewAsync(DbTransaction transaction, CancellationToken cancellationToken)
    {
        var tables = new List<string>();
        await using (var command = Connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "SELECT table_name FROM cur_imports ORDER BY export_name, billing_period";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                tables.Add(reader.GetString(0));
            }
        }

        // UNION ALL BY NAME: a column one month has and another lacks is NULL in the month that lacks it.
        var body = tables.Count == 0
            ? "SELECT CAST(NULL AS VARCHAR) AS export_name, CAST(NULL AS VARCHAR) AS billing_period WHERE false"
            : string.Join("\nUNION ALL BY NAME\n", tables.Select(t => $"SELECT * FROM {Identifier(t)}"));
        await ExecuteAsync(Connection, transaction, "CREATE OR REPLACE VIEW cur_line_items AS\n" + body, cancellationToken).ConfigureAwait(false);
    }

    internal static async Task<int> ExecuteAsync(DuckDBConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A quoted SQL identifier: CUR names such as <c>lineItem/UnblendedCost</c> stay as they are.</summary>
    internal static string Identifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>A quoted SQL string literal.</summary>
    internal static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}
