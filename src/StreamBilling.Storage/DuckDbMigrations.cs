using System.Data.Common;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using DuckDB.NET.Data;

namespace StreamBilling.Storage;

/// <summary>
/// Versioned schema migrations of the DuckDB store: the scripts <c>infra/duckdb/NNN_name.sql</c> (embedded in this
/// assembly), each applied once, in version order, inside its own transaction that also records it in
/// <c>schema_version (version, name, applied_at)</c>. A file from before <c>schema_version</c> existed has no such table:
/// migration 1 (all <c>IF NOT EXISTS</c>, the schema of that time) passes over it and records version 1, and the later
/// migrations upgrade it. A file whose version is newer than the newest script here is refused.
/// </summary>
internal static partial class DuckDbMigrations
{
    /// <summary>Every migration, oldest first; versions run 1, 2, 3… without gaps.</summary>
    public static IReadOnlyList<SchemaMigration> All { get; } = Load();

    /// <summary>The version a store has once every migration here is applied.</summary>
    public static int LatestVersion => All[^1].Version;

    /// <summary>Brings the store on <paramref name="connection"/> to <see cref="LatestVersion"/>.</summary>
    /// <exception cref="UsageStoreSchemaException">The store is newer than this code, or a migration failed.</exception>
    public static async Task ApplyAsync(DuckDBConnection connection, string storeName, TimeProvider time, CancellationToken cancellationToken)
    {
        await ExecuteAsync(
            connection,
            null,
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)",
            cancellationToken);
        var (current, currentName) = await CurrentAsync(connection, cancellationToken);
        if (current > LatestVersion)
        {
            throw new UsageStoreSchemaException(
                $"The store '{storeName}' has schema version {current} ({currentName}), newer than this StreamBilling knows " +
                $"(up to {LatestVersion}, {All[^1].Name}): it was written by a newer StreamBilling. Open it with that version, " +
                "or point this one at another store file.");
        }

        foreach (var migration in All.Where(m => m.Version > current))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            try
            {
                await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken);
                await using var record = connection.CreateCommand();
                record.Transaction = transaction;
                record.CommandText = "INSERT INTO schema_version (version, name, applied_at) VALUES ($version, $name, $applied_at)";
                record.Parameters.Add(new DuckDBParameter("version", migration.Version));
                record.Parameters.Add(new DuckDBParameter("name", migration.Name));
                record.Parameters.Add(new DuckDBParameter("applied_at", time.GetUtcNow().UtcDateTime));
                await record.ExecuteNonQueryAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
            catch (DuckDBException e)
            {
                await transaction.RollbackAsync(CancellationToken.None);
                throw new UsageStoreSchemaException(
                    $"Migration {migration.FileName} failed on the store '{storeName}', which stays at schema version {migration.Version - 1}: {e.Message}",
                    e);
            }
        }
    }

    private static async Task<(int Version, string Name)> CurrentAsync(DuckDBConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT version, name FROM schema_version ORDER BY version DESC LIMIT 1";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetInt32(0), reader.GetString(1)) : (0, "none");
    }

    private static async Task ExecuteAsync(DuckDBConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static List<SchemaMigration> Load()
    {
        var assembly = Assembly.GetExecutingAssembly();
        var migrations = new List<SchemaMigration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("duckdb/", StringComparison.Ordinal)))
        {
            var fileName = resource["duckdb/".Length..];
            var match = ScriptName().Match(fileName);
            if (!match.Success)
            {
                throw new InvalidOperationException($"The DuckDB schema script '{fileName}' is not named NNN_name.sql.");
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            migrations.Add(new SchemaMigration(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), match.Groups[2].Value, fileName, reader.ReadToEnd()));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 0; i < migrations.Count; i++)
        {
            // Two scripts with one number, or a missing number, would make "applied once, in order" ambiguous.
            if (migrations[i].Version != i + 1)
            {
                throw new InvalidOperationException($"The DuckDB migrations must be numbered 001, 002, … without gaps or repeats; found {string.Join(", ", migrations.Select(m => m.FileName))}.");
            }
        }

        return migrations;
    }

    [GeneratedRegex(@"^(\d{3})_([a-z0-9_]+)\.sql$")]
    private static partial Regex ScriptName();
}
