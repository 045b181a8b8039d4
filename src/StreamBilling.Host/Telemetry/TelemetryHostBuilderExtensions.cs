using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace StreamBilling.Host.Telemetry;

/// <summary>Wires OpenTelemetry metrics, traces and logs for every StreamBilling meter and activity source.</summary>
public static class TelemetryHostBuilderExtensions
{
    /// <summary>Meters and activity sources of every StreamBilling component share this prefix.</summary>
    public const string InstrumentationPrefix = "StreamBilling.*";

    /// <summary>Path of the Prometheus scrape endpoint (<see cref="MapStreamBillingMetrics"/>).</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>
    /// Registers OpenTelemetry. Metrics are always exported for a Prometheus scrape (<see cref="MapStreamBillingMetrics"/>);
    /// signals also go to an OTLP endpoint when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the compose stack's collector).
    /// </summary>
    public static IHostApplicationBuilder AddStreamBillingTelemetry(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("streambilling"))
            .WithMetrics(metrics => metrics
                .AddMeter(InstrumentationPrefix)
                .AddRuntimeInstrumentation()
                .AddAspNetCoreInstrumentation()
                .AddPrometheusExporter())
            .WithTracing(tracing => tracing
                .AddSource(InstrumentationPrefix)
                .AddAspNetCoreInstrumentation());

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            otel.UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>Maps the Prometheus scrape endpoint, <see cref="MetricsPath"/> (text exposition format).</summary>
    public static IEndpointRouteBuilder MapStreamBillingMetrics(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapPrometheusScrapingEndpoint(MetricsPath);
        return endpoints;
    }
}
