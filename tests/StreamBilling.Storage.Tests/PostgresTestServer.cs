using Npgsql;

namespace StreamBilling.Storage.Tests;

/// <summary>
/// The PostgreSQL server the tests use: the connection string in <c>STREAMBILLING_TEST_POSTGRES</c> (CI sets it from
/// <c>infra/postgres/start</c>), else the one that script last wrote to <c>.streambilling/postgres/connection-string</c>.
/// Without either, or when only the file names a server that is not running, the Postgres tests are skipped; a server
/// named by the environment variable must be reachable, so CI fails instead of skipping.
/// </summary>
public static class PostgresTestServer
{
    public const string EnvironmentVariable = "STREAMBILLING_TEST_POSTGRES";

    private static readonly Lazy<Task<string?>> Reachable = new(FindAsync);

    /// <summary>The server's connection string, or the test is skipped (or fails, see above).</summary>
    public static async Task<string> ConnectionStringAsync()
    {
        var connectionString = await Reachable.Value;
        if (connectionString is null)
        {
            Assert.Skip($"No PostgreSQL server for the tests: run infra/postgres/start (it writes .streambilling/postgres/connection-string), or set {EnvironmentVariable} to an Npgsql connection string.");
        }

        return connectionString;
    }

    /// <summary>A connection string of the server whose search path is <paramref name="schema"/>.</summary>
    public static string InSchema(string connectionString, string schema) =>
        new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = schema }.ConnectionString;

    /// <summary>Runs <paramref name="sql"/> on the server (outside any test schema unless it names one).</summary>
    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    private static async Task<string?> FindAsync()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            // Named on purpose (CI): unreachable is a failure, with Npgsql's reason.
            await ExecuteAsync(fromEnvironment, "SELECT 1");
            return fromEnvironment;
        }

        var file = ConnectionStringFile();
        if (file is null)
        {
            return null;
        }

        var fromFile = (await File.ReadAllTextAsync(file)).Trim();
        try
        {
            await ExecuteAsync(fromFile, "SELECT 1");
            return fromFile;
        }
        catch (NpgsqlException)
        {
            return null; // a developer's server from an earlier session, not running now
        }
    }

    private static string? ConnectionStringFile()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "StreamBilling.sln")))
            {
                var file = Path.Combine(dir.FullName, ".streambilling", "postgres", "connection-string");
                return File.Exists(file) ? file : null;
            }
        }

        return null;
    }
}
