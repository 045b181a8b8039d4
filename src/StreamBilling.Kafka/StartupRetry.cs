using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Microsoft.Extensions.Logging;

namespace StreamBilling.Kafka;

/// <summary>
/// Retries a start-up call to a dependency that may not be up yet (the broker, the Schema Registry: in compose they
/// start with the host) with exponential back-off, one log line per failed attempt, for at most a bounded time; then
/// fails with the dependency named and the last error. Errors that waiting cannot fix (an incompatible schema, a bad
/// setting) fail at once.
/// </summary>
internal static partial class StartupRetry
{
    /// <summary>First wait after a failed attempt; it doubles up to <see cref="MaxDelay"/>.</summary>
    public static readonly TimeSpan InitialDelay = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest wait between attempts.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(10);

    public static async Task<T> RunAsync<T>(string dependency, Func<CancellationToken, Task<T>> attempt, TimeSpan timeout, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var delay = InitialDelay;
        for (var number = 1; ; number++)
        {
            try
            {
                return await attempt(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsTransient(e, cancellationToken))
            {
                var elapsed = time.GetElapsedTime(started);
                if (elapsed + delay > timeout)
                {
                    LogGaveUp(logger, dependency, number, elapsed);
                    throw new InvalidOperationException(
                        $"{dependency} did not answer within {timeout} ({number} attempts): {e.Message}. Check that it runs and that the host's settings point at it.",
                        e);
                }

                LogRetrying(logger, dependency, number, e.Message, delay);
                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
            }
        }
    }

    /// <summary>
    /// True for what a dependency still starting answers: no connection, a timeout, a broker or coordinator not
    /// available yet, a registry's 5xx (its own store not ready). A 4xx from the registry (an incompatible schema) is not.
    /// </summary>
    public static bool IsTransient(Exception e, CancellationToken cancellationToken) => e switch
    {
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        // A registry's answer (it derives from HttpRequestException): only its 5xx mean it is not ready yet.
        SchemaRegistryException registry => (int)registry.Status >= 500,
        HttpRequestException or TimeoutException => true,
        KafkaException kafka => kafka.Error.Code is ErrorCode.Local_Transport or ErrorCode.Local_AllBrokersDown or ErrorCode.Local_TimedOut
            or ErrorCode.Local_Resolve or ErrorCode.BrokerNotAvailable or ErrorCode.NetworkException or ErrorCode.RequestTimedOut
            or ErrorCode.NotController or ErrorCode.LeaderNotAvailable or ErrorCode.GroupCoordinatorNotAvailable,
        AggregateException aggregate => aggregate.InnerExceptions.All(inner => IsTransient(inner, cancellationToken)),
        _ => e.InnerException is { } inner && IsTransient(inner, cancellationToken),
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Dependency} not reachable yet (attempt {Attempt}: {Error}); retrying in {Delay}")]
    private static partial void LogRetrying(ILogger logger, string dependency, int attempt, string error, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Critical, Message = "{Dependency} still not reachable after {Attempts} attempts in {Elapsed}; giving up")]
    private static partial void LogGaveUp(ILogger logger, string dependency, int attempts, TimeSpan elapsed);
}
