using Microsoft.Extensions.Options;
using StreamBilling.Kafka;

namespace StreamBilling.Host.Demo;

/// <summary>Registers the demo's run time limit with a host.</summary>
public static class DemoHostBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="DemoOptions"/> (section <c>Demo</c>; <c>--duration hh:mm:ss</c> on the command line is a shorthand for
    /// <c>Demo:Duration</c>), the hosted service that stops the host when the time is up, and the one that prints usage
    /// API keys on the embedded demo. Register it last (after <c>AddUsageApi</c>).
    /// </summary>
    public static IHostApplicationBuilder AddDemoDuration(this IHostApplicationBuilder builder, string[] args)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Configuration.AddCommandLine(args, new Dictionary<string, string> { ["--duration"] = "Demo:Duration" });
        builder.Services.AddOptions<DemoOptions>()
            .Bind(builder.Configuration.GetSection(DemoOptions.SectionName))
            .PostConfigure<IOptions<KafkaOptions>>((o, kafka) => o.Duration ??= kafka.Value.IsEmbedded ? TimeSpan.FromSeconds(30) : null)
            .Validate(o => o.Duration is null || o.Duration >= TimeSpan.Zero, "Demo:Duration must not be negative.")
            .ValidateOnStart();
        builder.Services.AddHostedService<DemoStopService>();
        builder.Services.AddHostedService<DemoApiKeysService>();
        return builder;
    }
}
