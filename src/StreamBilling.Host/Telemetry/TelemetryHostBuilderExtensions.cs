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

    /// <summary>
    /// Registers OpenTelemetry. Signals go to an OTLP endpoint when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set
    /// (the compose stack's collector); otherwise they stay in-process, where the flow report reads the same meters.
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
                .AddAspNetCoreInstrumentation())
            .WithTracing(tracing => tracing
                .AddSource(InstrumentationPrefix)
                .AddAspNetCoreInstrumentation());

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            otel.UseOtlpExporter();
        }

        return builder;
    }
}
