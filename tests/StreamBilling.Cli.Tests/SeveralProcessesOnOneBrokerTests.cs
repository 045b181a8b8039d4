using System.Diagnostics;
using System.Globalization;
using Npgsql;
using StreamBilling.Cli.Commands.Chaos;

namespace StreamBilling.Cli.Tests;

/// <summary>
/// README's "Several processes on one cluster" with the PostgreSQL store, as an operator runs it: <c>streambilling broker</c>
/// and the host each a process of its own (the simulated customers' CDN registry loaded first), then <c>simulate</c>, <c>query weekly-cost</c>, <c>query daily</c>,
/// <c>cdn status</c> and <c>cdn enable</c> beside the running host, on the one store.
/// </summary>
public sealed class SeveralProcessesOnOneBrokerTests
{
    private static readonly TimeSpan Slow = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task BrokerHostAndCliCommands_OnePostgresStore_QueryAndReEnableACappedCdnWhileTheHostRuns()
    {
        if (Environment.GetEnvironmentVariable("STREAMBILLING_TEST_POSTGRES") is not { Length: > 0 } server)
        {
            Assert.Skip("Needs a PostgreSQL server: set STREAMBILLING_TEST_POSTGRES (infra/postgres/start prints one).");
            return;
        }

        var ct = TestContext.Current.CancellationToken;
        using var work = new TempFolder();
        var schema = $"multiprocess_{Guid.NewGuid():N}"[..24];
        var store = await CreateSchemaAsync(server, schema, ct);
        try
        {
            using var broker = StartBroker(work.Path);
            var addressFile = Path.Combine(work.Path, ".streambilling", "broker.address");
            var address = await WaitForAsync(() => File.Exists(addressFile) ? File.ReadAllText(addressFile).Trim() : null, "the broker writes its address", ct);
            // The CDN registry of the customers `simulate` will publish, in the store before the host reads it.
            var registry = await CliProcess.RunAsync(work.Path, "cdn", "registry", "sample", "--customers", "4", "--seed", "3", "--out", "cdn-registry.json");
            var loaded = await CliProcess.RunAsync(work.Path, "cdn", "registry", "load", "--file", "cdn-registry.json", "--store-connection", store);
            Assert.True(registry.ExitCode == 0 && loaded.ExitCode == 0, registry.Output + loaded.Output);

            var hostDll = HostProcess.FindHostDll(null) ?? throw new FileNotFoundException("Build src/StreamBilling.Host first.");
            using var host = HostProcess.Start(
                hostDll,
                work.Path,
                new Dictionary<string, string>
                {
                    ["Kafka:BootstrapServers"] = address,
                    ["Storage:Provider"] = "Postgres",
                    ["Storage:ConnectionString"] = store,
                },
                Path.Combine(work.Path, "host.log"));

            // Seed 3's four customers over 2024-07-27: CUST0004's CDN crosses the 15-minute cap.
            var simulate = await CliProcess.RunAsync(work.Path, "simulate", "--bootstrap-servers", address, "--customers", "4", "--duration", "1d", "--seed", "3", "--start", "2024-07-27T00:00:00Z", "--rate", "0");
            Assert.True(simulate.ExitCode == 0, simulate.Output);

            var disabled = await WaitForAsync(
                async () => (await CliProcess.RunAsync(work.Path, "cdn", "status", "CUST0004", "--store-connection", store)).Output is var s && s.Contains("Disabled since", StringComparison.Ordinal) ? s : null,
                "the host disables CUST0004's CDN in the store",
                ct,
                () => File.ReadAllText(Path.Combine(work.Path, "host.log")));
            var weekly = await WaitForAsync(
                async () => await CliProcess.RunAsync(work.Path, "query", "weekly-cost", "--service", "ec2", "--from", "2024-07-22", "--to", "2024-08-05", "--store-connection", store) is { ExitCode: 0 } q && q.Output.Contains("2024-W30", StringComparison.Ordinal) ? q.Output : null,
                "weekly EC2 cost of 2024-W30 in the store",
                ct);
            var daily = await CliProcess.RunAsync(work.Path, "query", "daily", "--customer", "CUST0004", "--service", "cdn", "--from", "2024-07-27", "--to", "2024-07-27", "--store-connection", store);
            var enable = await CliProcess.RunAsync(work.Path, "cdn", "enable", "CUST0004", "--store-connection", store, "--bootstrap-servers", address);
            var enabled = await CliProcess.RunAsync(work.Path, "cdn", "status", "CUST0004", "--store-connection", store);
            var hostRanThroughout = !host.HasExited;
            var hostExit = await host.StopAsync(TimeSpan.FromSeconds(60), ct);

            Assert.Contains("cap 100 GB/15m exceeded", disabled, StringComparison.Ordinal);
            Assert.Matches(@"distributions E[A-Z0-9]{13} \(d[a-z0-9]{13}\.cloudfront\.net\)", disabled);
            Assert.Contains("store PostgreSQL", weekly, StringComparison.Ordinal);
            Assert.True(daily.ExitCode == 0, daily.Output);
            Assert.Contains("2024-07-27", daily.Output, StringComparison.Ordinal);
            Assert.True(enable.ExitCode == 0, enable.Output);
            Assert.Contains("CUST0004: Disabled -> Enabled", enable.Output, StringComparison.Ordinal);
            Assert.Contains("published to cdn.status", enable.Output, StringComparison.Ordinal);
            Assert.Contains("CUST0004: Enabled since", enabled.Output, StringComparison.Ordinal);
            Assert.True(hostRanThroughout, "the host stopped while the CLI used the store");
            Assert.True(hostExit == 0, $"host exit code {hostExit}");
        }
        finally
        {
            await ExecuteAsync(server, $"DROP SCHEMA IF EXISTS {schema} CASCADE", CancellationToken.None);
        }
    }

    /// <summary><c>streambilling broker --brokers 1</c> as its own process in <paramref name="folder"/> (address in <c>.streambilling/</c>).</summary>
    private static Broker StartBroker(string folder)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "streambilling.dll"), "broker", "--brokers", "1" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");

        // Drained so a full pipe never blocks the broker; what it prints is not under test.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new Broker(process);
    }

    private static async Task<string> CreateSchemaAsync(string server, string schema, CancellationToken ct)
    {
        await ExecuteAsync(server, $"CREATE SCHEMA {schema}", ct);
        return new NpgsqlConnectionStringBuilder(server) { SearchPath = schema }.ConnectionString;
    }

    private static async Task ExecuteAsync(string server, string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static Task<string> WaitForAsync(Func<string?> probe, string what, CancellationToken ct) =>
        WaitForAsync(() => Task.FromResult(probe()), what, ct);

    private static async Task<string> WaitForAsync(Func<Task<string?>> probe, string what, CancellationToken ct, Func<string>? context = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            if (clock.Elapsed > Slow)
            {
                Assert.Fail(string.Create(CultureInfo.InvariantCulture, $"Not within {Slow}: {what}.{Environment.NewLine}{context?.Invoke()}"));
            }

            await Task.Delay(1000, ct);
        }
    }

    /// <summary>The broker process; stopped with SIGTERM (as Ctrl+C would) when disposed.</summary>
    private sealed class Broker(Process process) : IDisposable
    {
        public void Dispose()
        {
            if (!process.HasExited)
            {
                using (var signal = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
                {
                    signal.WaitForExit();
                }

                if (!process.WaitForExit(TimeSpan.FromSeconds(20)))
                {
                    process.Kill();
                }
            }

            process.Dispose();
        }
    }
}
