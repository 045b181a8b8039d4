using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using DuckDB.NET.Data;
using StreamBilling.Billing;

namespace StreamBilling.Cur;

/// <summary>
/// The manifest-first import: discover the export's manifests in a range of periods, read each, and replace that
/// period's data with exactly the report files it lists, one transaction per period. DuckDB reads the files
/// (<c>read_csv</c> / <c>read_parquet</c>) straight into the period's table; the import only types the columns
/// (<see cref="CurColumnTypes"/>) and lines the files' columns up by name. A period that fails is rolled back whole,
/// so the store keeps the version it had; periods committed before it stay.
/// </summary>
public sealed class CurImporter
{
    private readonly CurStore _store;
    private readonly ICurSource _source;
    private readonly TimeProvider _time;
    private readonly TextWriter _progress;

    /// <param name="store">Where the periods go.</param>
    /// <param name="source">Where the export is.</param>
    /// <param name="time">Stamps <c>imported_at</c>.</param>
    /// <param name="progress">Receives a line per report file (rows so far) and per period.</param>
    public CurImporter(CurStore store, ICurSource source, TimeProvider time, TextWriter progress)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _source = source ?? throw new ArgumentNullException(nameof(source));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _progress = progress ?? throw new ArgumentNullException(nameof(progress));
    }

    /// <summary>Imports every manifest of <paramref name="exportName"/> from <paramref name="from"/> to <paramref name="to"/> (inclusive; null: open), oldest first.</summary>
    /// <exception cref="CurImportException">No manifest in the range, or one could not be imported (the message names the file; that period is unchanged).</exception>
    public async Task<IReadOnlyList<CurPeriodImport>> ImportAsync(string exportName, CurVersion version, BillingMonth? from, BillingMonth? to, CancellationToken cancellationToken)
    {
        var locations = await new CurManifestLocator(_source, exportName, version).ListAsync(from, to, cancellationToken).ConfigureAwait(false);
        if (locations.Count == 0)
        {
            throw new CurImportException(
                $"No CUR {CurVersions.Name(version)} manifest of export '{exportName}' in {_source.Description}{RangeText(from, to)}: " +
                $"expected keys like {CurManifestLocator.ManifestKey(_source.Prefix.Length == 0 ? "<prefix>" : _source.Prefix, exportName, version, from ?? new BillingMonth(2024, 1))}.");
        }

        var imports = new List<CurPeriodImport>();
        foreach (var location in locations)
        {
            try
            {
                imports.Add(await ImportPeriodAsync(exportName, version, location, cancellationToken).ConfigureAwait(false));
            }
            catch (CurImportException e) when (imports.Count > 0)
            {
                throw new CurImportException($"{e.Message} (Imported before this: {string.Join(", ", imports.Select(i => i.Record.BillingPeriod))}; {location.BillingPeriod} and later are unchanged.)", e);
            }
        }

        return imports;
    }

    /// <summary>Reads the manifest at <paramref name="location"/> and replaces its period with the files it lists.</summary>
    public async Task<CurPeriodImport> ImportPeriodAsync(string exportName, CurVersion version, CurManifestLocation location, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(location);
        var started = Stopwatch.GetTimestamp();
        var manifest = CurManifest.Parse(location.Key, version, await _source.ReadTextAsync(location.Key, cancellationToken).ConfigureAwait(false));
        if (manifest.BillingPeriod != location.BillingPeriod)
        {
            throw new CurImportException($"The manifest '{location.Key}' is in the folder of {location.BillingPeriod} but its billingPeriod.start is in {manifest.BillingPeriod}.");
        }

        // Every listed file must be there before anything is touched: a manifest is only usable whole.
        foreach (var key in manifest.ReportKeys)
        {
            if (!await _source.ExistsAsync(key, cancellationToken).ConfigureAwait(false))
            {
                throw new CurImportException($"The manifest '{manifest.Key}' lists the report file '{key}', which is not in {_source.Description}; {manifest.BillingPeriod} is unchanged.");
            }
        }

        var files = new List<ReportFile>();
        foreach (var key in manifest.ReportKeys)
        {
            var format = FormatOf(key);
            var path = await _source.LocalPathAsync(key, cancellationToken).ConfigureAwait(false);
            var header = format == ReportFormat.Csv ? Distinct(key, await CsvHeader.ReadAsync(key, path, cancellationToken).ConfigureAwait(false)) : null;
            files.Add(new ReportFile(key, format, path, header));
        }

        // Files are read a core's worth at a time (one DuckDB statement each): a gzip file is read by one thread, so
        // several files per statement use the cores, and progress is still reported as files complete. CSV files of
        // one statement share a header, which names the columns (no sniffing).
        var batches = files
            .GroupBy(f => (f.Format, Header: f.Header is null ? string.Empty : string.Join('\u0001', f.Header)))
            .SelectMany(g => g.Chunk(Math.Max(1, Environment.ProcessorCount)))
            .Select(c => new ReportBatch(c))
            .ToList();
        var connection = _store.Connection;
        var table = CurStore.TableName(exportName, manifest.BillingPeriod);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var current = batches[0];
        var columns = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            var previous = await PreviousAsync(connection, transaction, exportName, manifest.BillingPeriod, table, cancellationToken).ConfigureAwait(false);

            // The period's table gets the union of its files' columns, so each file inserts by name and lacks nothing.
            var batchColumns = new List<IReadOnlyList<(string Name, string Type)>>();
            foreach (var batch in batches)
            {
                current = batch;
                var described = batch.Files[0].Header is { } header
                    ? header.Select(name => (name, "VARCHAR")).ToList()
                    : await DescribeAsync(connection, transaction, batch.Reader, cancellationToken).ConfigureAwait(false);
                batchColumns.Add(described);
                foreach (var (name, type) in described)
                {
                    var target = CurColumnTypes.TypeOf(name) ?? type;
                    columns[name] = columns.TryGetValue(name, out var known) && known != target ? "VARCHAR" : target;
                }
            }

            foreach (var reserved in new[] { "export_name", "billing_period" })
            {
                if (columns.ContainsKey(reserved))
                {
                    throw new CurImportException($"The report files of '{manifest.Key}' have a column '{reserved}', a name the store keeps for itself.");
                }
            }

            await CurStore.ExecuteAsync(connection, transaction, $"DROP TABLE IF EXISTS {CurStore.Identifier(table)}", cancellationToken).ConfigureAwait(false);
            var definition = string.Join(", ", columns.Select(c => $"{CurStore.Identifier(c.Key)} {c.Value}"));
            await CurStore.ExecuteAsync(connection, transaction, $"CREATE TABLE {CurStore.Identifier(table)} (export_name VARCHAR NOT NULL, billing_period VARCHAR NOT NULL, {definition})", cancellationToken).ConfigureAwait(false);

            long rows = 0;
            var done = 0;
            for (var i = 0; i < batches.Count; i++)
            {
                current = batches[i];
                var inserted = await CurStore.ExecuteAsync(
                    connection,
                    transaction,
                    $"INSERT INTO {CurStore.Identifier(table)} BY NAME SELECT {CurStore.Literal(exportName)} AS export_name, {CurStore.Literal(manifest.BillingPeriod.ToString())} AS billing_period, {Casts(batchColumns[i], columns)} FROM {current.Reader}",
                    cancellationToken).ConfigureAwait(false);
                rows += inserted;
                done += current.Files.Count;
                await _progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {manifest.BillingPeriod}: {done}/{files.Count} files, {rows:N0} rows (last: {string.Join(", ", current.Files.Select(f => f.Key[(f.Key.LastIndexOf('/') + 1)..]))})")).ConfigureAwait(false);
            }

            var record = new CurImportRecord(exportName, manifest.BillingPeriod, version, manifest.Key, manifest.Id, table, files.Count, rows, _time.GetUtcNow());
            await CurStore.ExecuteAsync(connection, transaction, $"DELETE FROM cur_imports WHERE export_name = {CurStore.Literal(exportName)} AND billing_period = {CurStore.Literal(manifest.BillingPeriod.ToString())}", cancellationToken).ConfigureAwait(false);
            await using (var insert = connection.CreateCommand())
            {
                insert.Transaction = transaction;
                insert.CommandText = """
                    INSERT INTO cur_imports (export_name, billing_period, cur_version, manifest_key, manifest_id, table_name, report_files, row_count, imported_at)
                    VALUES ($export_name, $billing_period, $cur_version, $manifest_key, $manifest_id, $table_name, $report_files, $row_count, $imported_at)
                    """;
                insert.Parameters.Add(new DuckDBParameter("export_name", exportName));
                insert.Parameters.Add(new DuckDBParameter("billing_period", manifest.BillingPeriod.ToString()));
                insert.Parameters.Add(new DuckDBParameter("cur_version", CurVersions.Name(version)));
                insert.Parameters.Add(new DuckDBParameter("manifest_key", manifest.Key));
                insert.Parameters.Add(new DuckDBParameter("manifest_id", manifest.Id));
                insert.Parameters.Add(new DuckDBParameter("table_name", table));
                insert.Parameters.Add(new DuckDBParameter("report_files", files.Count));
                insert.Parameters.Add(new DuckDBParameter("row_count", rows));
                insert.Parameters.Add(new DuckDBParameter("imported_at", record.ImportedAt.UtcDateTime));
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await _store.RebuildViewAsync(transaction, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            var elapsed = Stopwatch.GetElapsedTime(started);
            await _progress.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"{manifest.BillingPeriod}: {rows:N0} rows from {files.Count} file(s) of manifest {manifest.Id} in {elapsed.TotalSeconds:F1} s{(previous is null ? string.Empty : previous == manifest.Id ? " (same version re-imported)" : $" (replaced {previous})")}")).ConfigureAwait(false);
            return new CurPeriodImport(record, previous, elapsed);
        }
        catch (DuckDBException e)
        {
            await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            var (key, message) = current.Files.Count == 1 ? (current.Files[0].Key, e.Message) : await CulpritAsync(connection, current, columns, e, cancellationToken).ConfigureAwait(false);
            throw new CurImportException($"The report file '{key}' (manifest '{manifest.Key}') cannot be imported; {manifest.BillingPeriod} is unchanged: {FirstLines(message)}", e);
        }
        catch
        {
            await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<string?> PreviousAsync(DuckDBConnection connection, DbTransaction transaction, string exportName, BillingMonth period, string table, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT export_name, billing_period, manifest_id FROM cur_imports WHERE table_name = $table_name";
        command.Parameters.Add(new DuckDBParameter("table_name", table));
        string? previous = null;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            // Export names that fold to one table name ("a-b", "a_b") must not overwrite each other.
            if (reader.GetString(0) != exportName || reader.GetString(1) != period.ToString())
            {
                throw new CurImportException($"The table {table} already holds {reader.GetString(1)} of the export '{reader.GetString(0)}'; '{exportName}' folds to the same table name. Rename one of the exports.");
            }

            previous = reader.GetString(2);
        }

        return previous;
    }

    private static async Task<IReadOnlyList<(string Name, string Type)>> DescribeAsync(DuckDBConnection connection, DbTransaction transaction, string reader, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"DESCRIBE SELECT * FROM {reader}";
        var columns = new List<(string, string)>();
        await using var result = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await result.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            columns.Add((result.GetString(0), result.GetString(1)));
        }

        return columns;
    }

    /// <summary>
    /// Which file of a failed batch is at fault: each is read alone (described and converted, in a transaction rolled
    /// back after) until one fails; its key and error. Only runs after a failure, so the common path pays nothing.
    /// </summary>
    private static async Task<(string Key, string Message)> CulpritAsync(DuckDBConnection connection, ReportBatch batch, Dictionary<string, string> columns, DuckDBException batchError, CancellationToken cancellationToken)
    {
        foreach (var file in batch.Files)
        {
            var single = new ReportBatch([file]);
            await using var probe = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var described = await DescribeAsync(connection, probe, single.Reader, cancellationToken).ConfigureAwait(false);
                var known = described.Where(c => columns.ContainsKey(c.Name)).ToList();
                await CurStore.ExecuteAsync(connection, probe, $"SELECT count(*) FROM (SELECT {Casts(known, columns)} FROM {single.Reader})", cancellationToken).ConfigureAwait(false);
            }
            catch (DuckDBException e)
            {
                return (file.Key, e.Message);
            }
            finally
            {
                await probe.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }

        return (string.Join("', '", batch.Files.Select(f => f.Key)), batchError.Message);
    }

    /// <summary>The files' columns converted to the table's types; a value that does not convert fails the import.</summary>
    private static string Casts(IEnumerable<(string Name, string Type)> fileColumns, Dictionary<string, string> tableTypes) =>
        string.Join(", ", fileColumns.Select(c =>
        {
            var column = CurStore.Identifier(c.Name);
            var target = tableTypes[c.Name];

            if (c.Type == target)
            {
                return column;
            }

            // Text to DECIMAL(38, 10) parses through 128-bit integers, several times slower than to DECIMAL(18, 10)
            // (the import's largest cost): take the fast one when the value fits it (|x| < 10^8, all but the rarest
            // values), the exact wide one otherwise. Text that is no number fails both, so the import still fails.
            if (target == CurColumnTypes.Decimal && c.Type == "VARCHAR")
            {
                return $"coalesce(TRY_CAST({column} AS DECIMAL(18, 10)), CAST({column} AS {target})) AS {column}";
            }

            // Text with an offset (CUR writes ...Z) becomes its UTC instant by way of TIMESTAMPTZ (straight to TIMESTAMP
            // DuckDB drops the offset); zoned timestamps convert in the connection's time zone, which CurStore sets to UTC.
            return target == CurColumnTypes.Timestamp && c.Type == "VARCHAR"
                ? $"CAST(CAST({column} AS TIMESTAMPTZ) AS {target}) AS {column}"
                : $"CAST({column} AS {target}) AS {column}";
        }));

    /// <summary>The header, refused when two columns share a name (DuckDB's names are case-insensitive).</summary>
    private static IReadOnlyList<string> Distinct(string key, IReadOnlyList<string> header)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in header)
        {
            if (!seen.Add(name))
            {
                throw new CurImportException($"The report file '{key}' has the column '{name}' twice (column names are compared without case).");
            }
        }

        return header;
    }

    private static ReportFormat FormatOf(string key)
    {
        var lower = key.ToLowerInvariant();
        if (lower.EndsWith(".parquet", StringComparison.Ordinal))
        {
            return ReportFormat.Parquet;
        }

        return lower.EndsWith(".csv.gz", StringComparison.Ordinal) || lower.EndsWith(".csv", StringComparison.Ordinal)
            ? ReportFormat.Csv
            : throw new CurImportException($"The report file '{key}' is neither CSV (.csv, .csv.gz) nor Parquet (.parquet).");
    }

    private static string FirstLines(string message)
    {
        var lines = message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return string.Join(" ", lines.Take(4));
    }

    private static string RangeText(BillingMonth? from, BillingMonth? to) =>
        from is null && to is null ? string.Empty : $" from {from?.ToString() ?? "the first"} to {to?.ToString() ?? "the last"}";

    private enum ReportFormat
    {
        Csv,
        Parquet,
    }

    /// <summary>One report file of a manifest.</summary>
    /// <param name="Key">Its key in the source.</param>
    /// <param name="Format">CSV or Parquet.</param>
    /// <param name="Path">A local file DuckDB reads.</param>
    /// <param name="Header">A CSV file's column names; null for Parquet, whose columns DuckDB reads from the file's schema.</param>
    private sealed record ReportFile(string Key, ReportFormat Format, string Path, IReadOnlyList<string>? Header);

    /// <summary>Files of one format (CSV: of one header) read by one statement: the DuckDB table function over all of them, Parquet's columns unioned by name.</summary>
    private sealed record ReportBatch(IReadOnlyList<ReportFile> Files)
    {
        public string Reader { get; } = ReaderOf(Files);

        private static string ReaderOf(IReadOnlyList<ReportFile> files)
        {
            var paths = "[" + string.Join(", ", files.Select(f => CurStore.Literal(f.Path))) + "]";

            // No hive partitioning: v2's BILLING_PERIOD=yyyy-MM folder is not a column of the data.
            return files[0].Format == ReportFormat.Parquet
                ? $"read_parquet({paths}, union_by_name = true, hive_partitioning = false)"

                // All text, then typed by name (CurColumnTypes): sniffed types would turn account ids into numbers.
                // strict_mode: a row with too many or too few fields is an error, never shifted or padded.
                : $"read_csv({paths}, header = true, auto_detect = false, columns = {{{string.Join(", ", files[0].Header!.Select(c => $"{CurStore.Literal(c)}: 'VARCHAR'"))}}}, delim = ',', quote = '\"', escape = '\"', strict_mode = true, null_padding = false, hive_partitioning = false)";
        }
    }
}
