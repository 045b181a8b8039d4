using Microsoft.Extensions.Options;
using StreamBilling.Storage;

namespace StreamBilling.Host.Lifetime;

/// <summary>
/// Runs the host and turns how it ended into the process exit code: 0 for a requested stop (Ctrl+C, SIGTERM, the demo's
/// duration), 1 when the host failed to start or a hosted component failed, naming each failed component. The host
/// itself stops when a component fails but returns normally, which a supervisor (systemd, Kubernetes) would take for a
/// clean stop and not restart.
/// </summary>
internal static partial class HostExitCode
{
    public const int Failed = 1;

    /// <summary>Runs <paramref name="app"/> until it stops; the exit code the process should end with.</summary>
    public static async Task<int> RunAsync(WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(HostExitCode).FullName!);
        IReadOnlyList<BackgroundService> components = [];
        try
        {
            // The same singletons the host starts; taken now because the host disposes its services when it stops.
            components = [.. app.Services.GetServices<IHostedService>().OfType<BackgroundService>()];
            await app.RunAsync();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Start failures are logged by the host and the component; this says what it means for the process.
            // Settings that name no usable store, or a store that cannot be opened, are the operator's to fix: their message
            // says all (the store's names the server and why), a stack trace would bury it.
            var operatorError = OperatorError(e);
            var reason = operatorError?.Message ?? e.GetBaseException().Message;
            LogHostFailed(logger, operatorError is null ? e : null, reason);
            return Failed;
        }

        var failed = components.Where(c => c.ExecuteTask is { IsFaulted: true }).ToList();
        foreach (var component in failed)
        {
            var (name, reason) = (NameOf(component), component.ExecuteTask!.Exception!.GetBaseException().Message);
            LogComponentFailed(logger, name, reason);
        }

        // A component may also mark the run failed without faulting (the simulator when usage was not delivered).
        return failed.Count > 0 ? Failed : Environment.ExitCode;
    }

    private static Exception? OperatorError(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is OptionsValidationException or UsageStoreUnavailableException or UsageStoreLockedException)
            {
                return e;
            }
        }

        return null;
    }

    /// <summary>A component's own description (<c>ToString</c>) if it has one, else its type name.</summary>
    private static string NameOf(BackgroundService component)
    {
        var description = component.ToString();
        var type = component.GetType();
        return description is null || description == type.ToString() ? type.Name : description;
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "Exiting with code 1: the host failed: {Reason}")]
    private static partial void LogHostFailed(ILogger logger, Exception? exception, string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Exiting with code 1: {Component} failed: {Reason}")]
    private static partial void LogComponentFailed(ILogger logger, string component, string reason);
}
