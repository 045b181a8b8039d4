using StreamBilling.Storage;
using StreamBilling.Storage.Tests;

namespace StreamBilling.IntegrationTests.HostProcess;

/// <summary>
/// The host as a supervisor sees it: the exit code of the process (non-zero only when something failed, so systemd or
/// Kubernetes restarts it) and the state directories it leaves behind across kills and restarts.
/// </summary>
public sealed class HostProcessTests : IDisposable
{
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(120);
    private readonly DirectoryInfo _workingDirectory = Directory.CreateTempSubdirectory("sb-host-");

    private string StateDirectory => Path.Combine(_workingDirectory.FullName, "state");

    [Fact]
    public async Task DemoDuration_Passed_ExitsZero()
    {
        using var host = StartHost("--duration", "00:00:04");

        Assert.Equal(0, await host.ExitCodeAsync(Slow));
        Assert.Contains("Demo: 00:00:04 passed, stopping", host.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StreamApplicationFailingWhileRunning_ExitsOne_NamingIt()
    {
        // A corrupted RocksDB store of task 0_0 that a clean stop left with a checkpoint: the sessions application
        // fails when the task is assigned, after the host started.
        var task = Path.Combine(StateDirectory, "streambilling-sessions", "it-host", "0_0");
        Directory.CreateDirectory(Path.Combine(task, "instance-sessions"));
        await File.WriteAllTextAsync(Path.Combine(task, ".checkpoint"), "streambilling-sessions-instance-sessions-changelog 0\n", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(task, "instance-sessions", "CURRENT"), "garbage", TestContext.Current.CancellationToken);

        using var host = StartHost("--duration", "00:01:00", "--Pipeline:InstanceSessions:PersistentStores", "true");

        Assert.Equal(1, await host.ExitCodeAsync(Slow));
        Assert.Contains("Exiting with code 1: stream application instance-sessions failed: ", host.Output, StringComparison.Ordinal);
        Assert.Contains("Corruption", host.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoreThatCannotBeOpened_ExitsOne_WithTheReason()
    {
        var notADirectory = Path.Combine(_workingDirectory.FullName, "a-file");
        await File.WriteAllTextAsync(notADirectory, "x", TestContext.Current.CancellationToken);

        using var host = StartHost("--duration", "00:01:00", "--Storage:DuckDbPath", Path.Combine(notADirectory, "usage.duckdb"));

        Assert.Equal(1, await host.ExitCodeAsync(Slow));
        Assert.Contains("Exiting with code 1: the host failed: ", host.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostgresStoreThatCannotBeReached_ExitsOne_WithOneLineNamingTheServer()
    {
        using var host = StartHost(
            "--duration", "00:01:00", "--Storage:Provider", "Postgres", "--Storage:ConnectionString", "Host=127.0.0.1;Port=1;Database=billing;Username=app;Password=s3cret");

        Assert.Equal(1, await host.ExitCodeAsync(Slow));
        Assert.Contains("Exiting with code 1: the host failed: Cannot open the PostgreSQL store at 127.0.0.1:1/billing: ", host.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", host.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", host.Output, StringComparison.Ordinal); // no stack trace
    }

    [Fact]
    public async Task PostgresStore_ReceivesTheRunsRollupsInvoicesAndCdnStatuses()
    {
        var server = await PostgresTestServer.ConnectionStringAsync();
        var schema = "host_" + Guid.NewGuid().ToString("N");
        await PostgresTestServer.ExecuteAsync(server, $"CREATE SCHEMA {schema}");
        try
        {
            using (var host = StartHost("--duration", "00:00:08", "--Storage:Provider", "Postgres", "--Storage:ConnectionString", PostgresTestServer.InSchema(server, schema)))
            {
                Assert.Equal(0, await host.ExitCodeAsync(Slow));
            }

            await using var store = await UsageStores.OpenPostgresAsync(PostgresTestServer.InSchema(server, schema), TestContext.Current.CancellationToken);
            Assert.NotEmpty(await store.PartitionKeysAsync(null, TestContext.Current.CancellationToken));
            Assert.NotEmpty(await store.ListInvoicesAsync("CUST0001", TestContext.Current.CancellationToken));
        }
        finally
        {
            await PostgresTestServer.ExecuteAsync(server, $"DROP SCHEMA {schema} CASCADE");
        }
    }

    [Fact]
    public async Task KilledHost_Restarted_ReusesOneStateDirectoryPerApplication()
    {
        using (var doomed = StartHost("--duration", "0", "--Pipeline:InstanceSessions:PersistentStores", "true"))
        {
            await doomed.WaitForOutputAsync("Usage simulator:", Slow);
            await doomed.KillAsync();
        }

        var afterKill = StateDirectories();
        using var restarted = StartHost("--duration", "00:00:04", "--Pipeline:InstanceSessions:PersistentStores", "true");

        Assert.Equal(0, await restarted.ExitCodeAsync(Slow));
        Assert.Equal(
            ["streambilling-cdn-caps/it-host", "streambilling-cdn-usage/it-host", "streambilling-invoices/it-host", "streambilling-pricing/it-host", "streambilling-rollups-2/it-host", "streambilling-sessions/it-host"],
            afterKill);
        Assert.Equal(afterKill, StateDirectories());
    }

    public void Dispose() => _workingDirectory.Delete(recursive: true);

    private HostProcess StartHost(params string[] args) =>
        HostProcess.Start(
            _workingDirectory.FullName,
            // Later settings win: the test's own come last.
            ["--Streams:StateDirectory", StateDirectory, "--Streams:InstanceId", "it-host", "--Storage:DuckDbPath", "usage.duckdb", .. args]);

    /// <summary>Every <c>&lt;application&gt;/&lt;instance&gt;</c> directory under the state directory, sorted.</summary>
    private List<string> StateDirectories() =>
        [.. Directory.GetDirectories(StateDirectory).SelectMany(Directory.GetDirectories)
            .Select(d => Path.GetRelativePath(StateDirectory, d).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)];
}
