using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace StreamBilling.Host.Health;

/// <summary>
/// The host's health endpoints, with the standard ASP.NET Core health checks: <c>/health/live</c> (the process answers)
/// and <c>/health/ready</c> (every stream application processing, the store answering, every consumer loop running).
/// <c>/health</c> is an alias of <c>/health/live</c>. Each answers a JSON body listing its checks; 503 when unhealthy.
/// </summary>
public static class HealthHostBuilderExtensions
{
    /// <summary>Liveness: 200 while the process serves requests.</summary>
    public const string LivePath = "/health/live";

    /// <summary>Readiness: 200 once the pipeline processes and the store answers, 503 otherwise.</summary>
    public const string ReadyPath = "/health/ready";

    /// <summary>Alias of <see cref="LivePath"/> (what <c>/health</c> answered before: the process is up).</summary>
    public const string AliasPath = "/health";

    private const string LiveTag = "live";
    private const string ReadyTag = "ready";

    // A store that does not answer within this is as good as unreachable for a readiness probe.
    private static readonly TimeSpan StoreTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Registers the liveness and readiness checks.</summary>
    public static IHostApplicationBuilder AddStreamBillingHealth(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHealthChecks()
            .AddCheck("process", () => HealthCheckResult.Healthy("The process serves requests."), [LiveTag])
            .AddCheck<StreamApplicationsHealthCheck>("stream-applications", tags: [ReadyTag])
            .AddCheck<StoreHealthCheck>("store", tags: [ReadyTag], timeout: StoreTimeout)
            .AddCheck<ConsumerLoopsHealthCheck>("consumer-loops", tags: [ReadyTag]);
        return builder;
    }

    /// <summary>Maps <see cref="LivePath"/>, <see cref="ReadyPath"/> and <see cref="AliasPath"/>.</summary>
    public static IEndpointRouteBuilder MapStreamBillingHealth(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapHealthChecks(LivePath, OptionsFor(LiveTag));
        endpoints.MapHealthChecks(ReadyPath, OptionsFor(ReadyTag));
        endpoints.MapHealthChecks(AliasPath, OptionsFor(LiveTag));
        return endpoints;
    }

    private static HealthCheckOptions OptionsFor(string tag) => new()
    {
        Predicate = check => check.Tags.Contains(tag),
        ResponseWriter = HealthReportWriter.WriteAsync,
        ResultStatusCodes =
        {
            [HealthStatus.Healthy] = StatusCodes.Status200OK,
            [HealthStatus.Degraded] = StatusCodes.Status200OK,
            [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
        },
    };
}
