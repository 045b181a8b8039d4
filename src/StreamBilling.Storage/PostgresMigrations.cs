using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Npgsql;

namespace StreamBilling.Storage;

/// <summary>
/// The PostgreSQL store's versioned schema: the scripts <c>infra/postgres/NNN_name.sql</c> (embedded in this assembly),
/// applied in version order, each in its own transaction together with its row in <c>schema_version</c> (version, name,
/// applied_at). An advisory lock held while migrating makes processes that start together take turns: the first applies
/// what is missing, the others then find nothing to do. A database with a version this build does not know is refused.
/// </summary>
internal static partial class PostgresMigrations
{
    /// <summary>The migrations this build knows, oldest first.</summary>
    public static IReadOnlyList<PostgresMigration> Known { get; } = Load();

    /// <summary>Newest version this build knows.</summary>
    public static int CurrentVersion => Known[^1].Version;

    /// <summary>Brings the schema of the connection's first search-path schema to <see cref="CurrentVersion"/>; the versions applied now.</summary>
    public static async Task<IReadOnlyList<int>> ApplyAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);

        // One lock per schema (tests give each suite its own), held by this session until unlocked or disconnected.
        await ExecuteAsync(connection, null, "SELECT pg_advisory_lock(hashtextextended('streambilling.schema_version:' || coalesce(current_schema(), ''), 0))", cancellationToken);
        try
        {
            await ExecuteAsync(
                connection,
                null,
                """
                CREATE TABLE IF NOT EXISTS schema_version (
                    version    integer     PRIMARY KEY,
                    name       text        NOT NULL,
                    applied_at timestamptz NOT NULL)
                """,
                cancellationToken);
            var applied = await AppliedAsync(connection, cancellationToken);
            Check(applied);
            var appliedNow = new List<int>();
            foreach (var migration in Known.Where(m => !applied.ContainsKey(m.Version)))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken);
                await using (var record = new NpgsqlCommand("INSERT INTO schema_version (version, name, applied_at) VALUES (@version, @name, now())", connection, transaction))
                {
                    PostgresParameters.Add(record, "version", migration.Version);
                    PostgresParameters.Add(record, "name", migration.Name);
                    await record.ExecuteNonQueryAsync(cancellationToken);
                }

                await transaction.CommitAsync(cancellationToken);
                appliedNow.Add(migration.Version);
            }

            return appliedNow;
        }
        finally
        {
            // A broken connection has lost its lock already (and unlocking would hide why it broke).
            if (connection.State == System.Data.ConnectionState.Open)
            {
                await ExecuteAsync(connection, null, "SELECT pg_advisory_unlock_all()", CancellationToken.None);
            }
        }
    }

    private static void Check(IReadOnlyDictionary<int, string> applied)
    {
        if (applied.Count > 0 && applied.Keys.Max() > CurrentVersion)
        {
            var newest = applied.Keys.Max();
            throw new UsageStoreUnavailableException(string.Create(
                CultureInfo.InvariantCulture,
                $"The PostgreSQL store's schema is at version {newest} ({applied[newest]}), newer than this build knows (up to {CurrentVersion}): run a build that has that migration, or a database of this build's version."));
        }

        foreach (var migration in Known.Where(m => applied.TryGetValue(m.Version, out var name) && name != m.Name))
        {
            throw new UsageStoreUnavailableException(string.Create(
                CultureInfo.InvariantCulture,
                $"The PostgreSQL store's schema_version {migration.Version} is '{applied[migration.Version]}' but this build's is '{migration.Name}': the database was migrated by a different line of builds."));
        }
    }

    private static async Task<Dictionary<int, string>> AppliedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT version, name FROM schema_version", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var applied = new Dictionary<int, string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            applied.Add(reader.GetInt32(0), reader.GetString(1));
        }

        return applied;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static List<PostgresMigration> Load()
    {
        var assembly = Assembly.GetExecutingAssembly();
        var migrations = new List<PostgresMigration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("postgres/", StringComparison.Ordinal)))
        {
            var match = ScriptName().Match(resource["postgres/".Length..]);
            if (!match.Success)
            {
                throw new InvalidOperationException($"Migration '{resource}' is not named NNN_name.sql.");
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            migrations.Add(new PostgresMigration(int.Parse(match.Groups["version"].Value, CultureInfo.InvariantCulture), match.Groups["name"].Value, reader.ReadToEnd()));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));

        // Versions are 1, 2, 3, …: a gap or a duplicate is a mistake in infra/postgres, caught by every test that opens a store.
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new InvalidOperationException($"Migrations must be numbered 001, 002, … without gaps or duplicates; found {string.Join(", ", migrations.Select(m => $"{m.Version:D3}_{m.Name}"))}.");
            }
        }

        return migrations;
    }

    [GeneratedRegex(@"^(?<version>\d{3})_(?<name>[a-z0-9_]+)\.sql$")]
    private static partial Regex ScriptName();
}
