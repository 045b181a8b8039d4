using System.Diagnostics.Metrics;
using Confluent.SchemaRegistry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StreamBilling.Contracts;

namespace StreamBilling.Kafka;

/// <summary>Registers StreamBilling's Kafka access layer with a host.</summary>
public static class KafkaHostBuilderExtensions
{
    /// <summary>
    /// Registers <see cref="KafkaOptions"/> (section <c>Kafka</c>, plus <c>SchemaRegistry:Url</c>; validated on start),
    /// the cluster (embedded when <c>Kafka:BootstrapServers</c> is empty; a <see cref="SharedEmbeddedCluster"/> when the
    /// address is a <c>streambilling broker</c>'s, else a real one), the schema registry client (a URL if set, else the
    /// shared broker's registry, else in-memory), <see cref="ITopicProvisioner"/>, <see cref="KafkaClientFactory"/> and <see cref="KafkaTelemetry"/>.
    /// When the host starts, <paramref name="topics"/> are provisioned and then their value schemas registered
    /// (<c>&lt;topic&gt;-value</c>), before hosted services added later start.
    /// </summary>
    public static IHostApplicationBuilder AddStreamBillingKafka(this IHostApplicationBuilder builder, IEnumerable<TopicSpec>? topics = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<KafkaOptions>()
            .Bind(builder.Configuration.GetSection(KafkaOptions.SectionName))
            .PostConfigure(o =>
            {
                if (string.IsNullOrWhiteSpace(o.SchemaRegistryUrl))
                {
                    o.SchemaRegistryUrl = builder.Configuration["SchemaRegistry:Url"];
                }
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KafkaOptions>, KafkaOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new KafkaTelemetry(sp.GetService<IMeterFactory>()));
        services.TryAddSingleton<IKafkaCluster>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<KafkaOptions>>().Value;
            return options.IsEmbedded ? EmbeddedKafkaCluster.Start(options.EmbeddedBrokers, options.EmbeddedGroupInitialRebalanceDelay) : SharedEmbeddedCluster.Connect(options.BootstrapServers!, options.ClientId);
        });
        services.TryAddSingleton<ISchemaRegistryClient>(sp =>
        {
            // A configured URL wins; a shared embedded broker serves its own registry, so ids agree across its processes.
            var url = sp.GetRequiredService<IOptions<KafkaOptions>>().Value.SchemaRegistryUrl;
            if (string.IsNullOrWhiteSpace(url) && sp.GetRequiredService<IKafkaCluster>() is SharedEmbeddedCluster shared)
            {
                url = shared.Descriptor.SchemaRegistryUrl;
            }

            return string.IsNullOrWhiteSpace(url)
                ? new InMemorySchemaRegistryClient()
                : new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = url });
        });
        services.TryAddSingleton(sp => new KafkaClientFactory(
            sp.GetRequiredService<IKafkaCluster>(),
            sp.GetRequiredService<ISchemaRegistryClient>(),
            sp.GetRequiredService<IOptions<KafkaOptions>>(),
            sp.GetRequiredService<KafkaTelemetry>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<KafkaClientFactory>>()));
        services.TryAddSingleton<ITopicProvisioner>(sp => sp.GetRequiredService<IKafkaCluster>() switch
        {
            EmbeddedKafkaCluster embedded => new EmbeddedTopicProvisioner(embedded),
            SharedEmbeddedCluster shared => new ControlEndpointTopicProvisioner(shared.Descriptor),
            _ => new AdminClientTopicProvisioner(sp.GetRequiredService<KafkaClientFactory>()),
        });

        var topicList = topics?.ToList() ?? [];
        if (topicList.Count > 0)
        {
            services.AddHostedService(sp => new TopicProvisioningService(
                sp.GetRequiredService<ITopicProvisioner>(),
                topicList,
                sp.GetRequiredService<IOptions<KafkaOptions>>().Value,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetService<ILogger<TopicProvisioningService>>() ?? NullLogger<TopicProvisioningService>.Instance));
            services.AddHostedService(sp => new SchemaRegistrationService(
                sp.GetRequiredService<ISchemaRegistryClient>(),
                topicList,
                sp.GetService<ILogger<SchemaRegistrationService>>() ?? NullLogger<SchemaRegistrationService>.Instance)
            {
                StartupTimeout = sp.GetRequiredService<IOptions<KafkaOptions>>().Value.StartupTimeout,
                Time = sp.GetRequiredService<TimeProvider>(),
            });
        }

        return builder;
    }
}
