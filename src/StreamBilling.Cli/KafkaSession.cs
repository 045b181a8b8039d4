using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StreamBilling.Contracts;
using StreamBilling.Kafka;

namespace StreamBilling.Cli;

/// <summary>
/// The Kafka access layer for one CLI command, wired exactly as the host wires it: the embedded cluster and in-memory
/// registry when no bootstrap servers are given, else the real ones; the given topics are provisioned on start.
/// </summary>
internal sealed class KafkaSession : IAsyncDisposable
{
    private readonly IHost _host;

    private KafkaSession(IHost host) => _host = host;

    /// <summary>The client factory.</summary>
    public KafkaClientFactory Clients => _host.Services.GetRequiredService<KafkaClientFactory>();

    /// <summary>Creates topics (stream applications provision their internal topics with it).</summary>
    public ITopicProvisioner Provisioner => _host.Services.GetRequiredService<ITopicProvisioner>();

    /// <summary>The cluster (embedded or real).</summary>
    public IKafkaCluster Cluster => _host.Services.GetRequiredService<IKafkaCluster>();

    /// <summary>Starts the Kafka layer and provisions <paramref name="topics"/>.</summary>
    public static async Task<KafkaSession> StartAsync(string? bootstrapServers, string? schemaRegistryUrl, IEnumerable<TopicSpec> topics, CancellationToken cancellationToken)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = bootstrapServers,
            ["SchemaRegistry:Url"] = schemaRegistryUrl,
        });

        // Client warnings and errors go to stderr, out of the way of the progress display on stdout.
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true)
            .AddFilter(level => level >= LogLevel.Warning)
            .Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.AddStreamBillingKafka(topics);
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken);
            return new KafkaSession(host);
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        if (_host is IAsyncDisposable asyncHost)
        {
            await asyncHost.DisposeAsync();
        }
        else
        {
            _host.Dispose();
        }
    }
}
