using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StreamBilling.Kafka;

namespace StreamBilling.Streams.Kafka;

/// <summary>Registers stream applications with a host (after <c>AddStreamBillingKafka</c>).</summary>
public static class KafkaStreamsHostBuilderExtensions
{
    /// <summary>
    /// Runs the topology built by <paramref name="topology"/> as a hosted service named <paramref name="name"/>; its
    /// failure stops the host. <paramref name="options"/> defaults to <see cref="KafkaStreamsOptions"/>'s defaults.
    /// </summary>
    public static IHostApplicationBuilder AddKafkaStreams(
        this IHostApplicationBuilder builder,
        string name,
        Func<IServiceProvider, Topology> topology,
        Func<IServiceProvider, KafkaStreamsOptions>? options = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(topology);
        builder.Services.TryAddSingleton<KafkaStreamsRegistry>();
        builder.Services.AddSingleton<IHostedService>(sp =>
        {
            // Readiness counts the application from the moment the host creates its service, before it starts.
            var registry = sp.GetRequiredService<KafkaStreamsRegistry>();
            registry.Expect(name);
            return new KafkaStreamsService(
                name,
                () => topology(sp),
                () => options?.Invoke(sp) ?? new KafkaStreamsOptions(),
                sp.GetRequiredService<KafkaClientFactory>(),
                sp.GetRequiredService<ITopicProvisioner>(),
                registry,
                // Recovery tests register crash points with the host's services; nothing does in production.
                sp.GetService<ICrashPoints>() ?? NoCrashPoints.Instance,
                sp.GetRequiredService<ILoggerFactory>());
        });
        return builder;
    }
}
