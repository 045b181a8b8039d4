using System.Net;
using System.Net.Sockets;
using Confluent.SchemaRegistry;
using Microsoft.Extensions.Logging;
using StreamBilling.Contracts;

namespace StreamBilling.Kafka.Tests;

/// <summary>
/// A dependency that is not up yet at start (compose starts the registry and the broker with the host) is retried with
/// back-off and a log line per attempt, for a bounded time, then fails naming it; errors waiting cannot fix fail at once.
/// </summary>
public sealed class StartupRetryTests
{
    [Fact]
    public async Task SchemaRegistration_RegistryNotListening_RetriesThenFailsNamingTheRegistry()
    {
        var logger = new CollectingLogger<SchemaRegistrationService>();
        using var registry = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = $"http://127.0.0.1:{ClosedLoopbackPort()}", RequestTimeoutMs = 2000, MaxRetries = 1, RetriesWaitMs = 50, RetriesMaxWaitMs = 50 });
        // 5 s, not less: back-off waits 0.5, 1 and 2 s, so even slow refused attempts (a loaded machine) give two retries.
        var service = new SchemaRegistrationService(registry, [.. Topics.AllWithDeadLetters()], logger) { StartupTimeout = TimeSpan.FromSeconds(5) };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => service.StartAsync(TestContext.Current.CancellationToken));

        Assert.StartsWith("The Schema Registry did not answer within 00:00:05", error.Message, StringComparison.Ordinal);
        var retries = logger.Entries.Where(e => e.Level == LogLevel.Warning && e.Message.StartsWith("The Schema Registry not reachable yet (attempt ", StringComparison.Ordinal)).ToList();
        Assert.True(retries.Count >= 2, string.Join(Environment.NewLine, logger.Entries));
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Critical && e.Message.Contains("giving up", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_TransientTwice_SucceedsOnTheThirdAttemptWithTwoLogLines()
    {
        var logger = new CollectingLogger<SchemaRegistrationService>();
        var attempts = 0;

        var result = await StartupRetry.RunAsync(
            "The test dependency",
            _ => ++attempts < 3 ? throw new HttpRequestException("Connection refused") : Task.FromResult(42),
            TimeSpan.FromSeconds(30),
            TimeProvider.System,
            logger,
            TestContext.Current.CancellationToken);

        Assert.Equal(42, result);
        Assert.Equal(3, attempts);
        Assert.Equal(
            ["The test dependency not reachable yet (attempt 1: Connection refused); retrying in 00:00:00.5000000", "The test dependency not reachable yet (attempt 2: Connection refused); retrying in 00:00:01"],
            logger.Entries.Select(e => e.Message));
    }

    [Fact]
    public async Task RunAsync_IncompatibleSchema_FailsAtOnce()
    {
        var logger = new CollectingLogger<SchemaRegistrationService>();
        var attempts = 0;

        await Assert.ThrowsAsync<SchemaRegistryException>(() => StartupRetry.RunAsync<int>(
            "The Schema Registry",
            _ =>
            {
                attempts++;
                throw new SchemaRegistryException("Schema being registered is incompatible", HttpStatusCode.Conflict, 409);
            },
            TimeSpan.FromSeconds(30),
            TimeProvider.System,
            logger,
            TestContext.Current.CancellationToken));

        Assert.Equal(1, attempts);
        Assert.Empty(logger.Entries);
    }

    /// <summary>A loopback port nothing listens on (taken from the OS, then released).</summary>
    private static int ClosedLoopbackPort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        var port = ((IPEndPoint)socket.LocalEndpoint).Port;
        socket.Stop();
        return port;
    }
}
