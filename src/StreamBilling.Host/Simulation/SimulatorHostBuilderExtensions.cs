using Microsoft.Extensions.Options;
using StreamBilling.Kafka;

namespace StreamBilling.Host.Simulation;

/// <summary>Registers the usage simulator with a host.</summary>
public static class SimulatorHostBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="UsageSimulatorOptions"/> (section <c>Simulator</c>, validated on start) and the hosted service that
    /// publishes simulated usage; it runs by default only on the embedded cluster. Register after the consumers it should
    /// wait for, so it stops before them.
    /// </summary>
    public static IHostApplicationBuilder AddUsageSimulator(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<UsageSimulatorOptions>()
            .Bind(builder.Configuration.GetSection(UsageSimulatorOptions.SectionName))
            .PostConfigure<IOptions<KafkaOptions>>((o, kafka) => o.Enabled ??= kafka.Value.IsEmbedded)
            .Validate(o => o.Customers >= 1, "Simulator:Customers must be at least 1.")
            .Validate(o => o.EventsPerSecond > 0, "Simulator:EventsPerSecond must be positive.")
            .Validate(o => o.SimulatedDuration >= TimeSpan.FromMinutes(1), "Simulator:SimulatedDuration must be at least a minute.")
            .ValidateOnStart();
        builder.Services.AddHostedService<UsageSimulatorService>();
        return builder;
    }
}
