using System.Net;
using System.Net.Sockets;
using System.Text;
using Confluent.SchemaRegistry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StreamBilling.Contracts;
using StreamBilling.Kafka;
using Testcontainers.Kafka;

[assembly: AssemblyFixture(typeof(StreamBilling.IntegrationTests.KafkaFixture))]

namespace StreamBilling.IntegrationTests;

/// <summary>
/// One Kafka for the whole test assembly: <c>KAFKA_BOOTSTRAP_SERVERS</c> (+ <c>SCHEMA_REGISTRY_URL</c>) when set; else a
/// Testcontainers Kafka when a Docker engine answers; else the embedded mock cluster. Every test gets its own topics.
/// </summary>
public sealed class KafkaFixture : IAsyncLifetime
{
    private static readonly TimeSpan DockerProbeTimeout = TimeSpan.FromSeconds(1);
    private IHost? _host;
    private KafkaContainer? _container;

    /// <summary>Where the Kafka came from.</summary>
    public KafkaSource Source { get; private set; }

    /// <summary>The cluster.</summary>
    public IKafkaCluster Cluster => Services.GetRequiredService<IKafkaCluster>();

    /// <summary>The embedded cluster, or null against a real one.</summary>
    public EmbeddedKafkaCluster? Embedded => Cluster as EmbeddedKafkaCluster;

    /// <summary>The schema registry client (in-memory unless <c>SCHEMA_REGISTRY_URL</c> is set).</summary>
    public ISchemaRegistryClient Registry => Services.GetRequiredService<ISchemaRegistryClient>();

    /// <summary>The client factory wired exactly as the host wires it.</summary>
    public KafkaClientFactory Clients => Services.GetRequiredService<KafkaClientFactory>();

    /// <summary>Creates topics on the cluster (mock API when embedded, AdminClient otherwise).</summary>
    public ITopicProvisioner Provisioner => Services.GetRequiredService<ITopicProvisioner>();

    private IServiceProvider Services => (_host ?? throw new InvalidOperationException("Fixture not initialized.")).Services;

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        var bootstrap = Environment.GetEnvironmentVariable("KAFKA_BOOTSTRAP_SERVERS");
        Source = KafkaSource.Environment;
        if (string.IsNullOrWhiteSpace(bootstrap))
        {
            if (await DockerAnswersAsync())
            {
                _container = new KafkaBuilder("confluentinc/cp-kafka:7.5.12").Build();
                await _container.StartAsync();
                bootstrap = _container.GetBootstrapAddress().Replace("PLAINTEXT://", string.Empty, StringComparison.Ordinal).TrimEnd('/');
                Source = KafkaSource.Testcontainers;
            }
            else
            {
                bootstrap = null;
                Source = KafkaSource.Embedded;
            }
        }

        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = bootstrap,
            ["SchemaRegistry:Url"] = Environment.GetEnvironmentVariable("SCHEMA_REGISTRY_URL"),
        });
        builder.AddStreamBillingKafka();
        _host = builder.Build();
        await _host.StartAsync();
    }

    /// <summary>Creates a topic named after <paramref name="purpose"/> and unique to the caller, plus its one-partition dead-letter topic.</summary>
    public async Task<string> CreateTopicAsync(string purpose, int partitions)
    {
        var topic = new TopicSpec($"it.{purpose}.{Guid.NewGuid():N}", partitions);
        await Services.GetRequiredService<ITopicProvisioner>().EnsureTopicsAsync([topic, Topics.DeadLetterOf(topic)], TestContext.Current.CancellationToken);
        return topic.Name;
    }

    /// <summary>A consumer group id unique to the caller.</summary>
    public static string NewGroupId(string purpose) => $"it.{purpose}.{Guid.NewGuid():N}";

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
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

        if (_container is not null)
        {
            await _container.DisposeAsync();
        }
    }

    /// <summary>Whether a Docker engine answers <c>/_ping</c> within a second (DOCKER_HOST or the default socket).</summary>
    private static async Task<bool> DockerAnswersAsync()
    {
        var dockerHost = Environment.GetEnvironmentVariable("DOCKER_HOST");
        EndPoint endpoint;
        if (string.IsNullOrWhiteSpace(dockerHost) || dockerHost.StartsWith("unix://", StringComparison.Ordinal))
        {
            var path = string.IsNullOrWhiteSpace(dockerHost) ? "/var/run/docker.sock" : dockerHost["unix://".Length..];
            if (!File.Exists(path))
            {
                return false;
            }

            endpoint = new UnixDomainSocketEndPoint(path);
        }
        else if (Uri.TryCreate(dockerHost, UriKind.Absolute, out var uri) && uri.Scheme == "tcp")
        {
            endpoint = new DnsEndPoint(uri.Host, uri.Port);
        }
        else
        {
            return false;
        }

        using var timeout = new CancellationTokenSource(DockerProbeTimeout);
        try
        {
            using var socket = endpoint is UnixDomainSocketEndPoint
                ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
                : new Socket(SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(endpoint, timeout.Token);
            await socket.SendAsync("GET /_ping HTTP/1.0\r\n\r\n"u8.ToArray(), SocketFlags.None, timeout.Token);
            var buffer = new byte[256];
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            return Encoding.ASCII.GetString(buffer, 0, read).Contains(" 200 ", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or IOException)
        {
            return false;
        }
    }
}
