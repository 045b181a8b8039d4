using Confluent.Kafka;

namespace StreamBilling.Kafka;

/// <summary>
/// The embedded cluster of a <c>streambilling broker</c> process, reached from another process. It has the mock's limits
/// (<see cref="IsEmbedded"/>: no transactions, compaction or CreateTopics); topics are created and schemas registered
/// through the broker's loopback endpoint named in <see cref="Descriptor"/>.
/// </summary>
public sealed class SharedEmbeddedCluster(EmbeddedBrokerDescriptor descriptor) : IKafkaCluster
{
    private static readonly TimeSpan DiscoveryTimeout = TimeSpan.FromSeconds(10);

    /// <summary>What the broker process published about itself.</summary>
    public EmbeddedBrokerDescriptor Descriptor { get; } = descriptor ?? throw new ArgumentNullException(nameof(descriptor));

    /// <inheritdoc />
    public string BootstrapServers => Descriptor.BootstrapServers;

    /// <inheritdoc />
    public bool IsEmbedded => true;

    /// <summary>
    /// Connects to <paramref name="bootstrapServers"/>: a <see cref="SharedEmbeddedCluster"/> when the cluster carries a
    /// <c>streambilling broker</c>'s descriptor (<see cref="EmbeddedBrokerDescriptor.DiscoveryTopic"/>), else a real cluster
    /// with the full protocol. The mock listens on loopback only, so only all-loopback addresses are asked; a cluster that
    /// does not answer is taken as a real one, whose clients then report the connection errors as they always did.
    /// </summary>
    public static IKafkaCluster Connect(string bootstrapServers, string clientId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(bootstrapServers);
        EmbeddedBrokerDescriptor? descriptor = null;
        if (IsLoopbackOnly(bootstrapServers))
        {
            try
            {
                descriptor = TryDiscover(bootstrapServers, clientId);
            }
            catch (KafkaException)
            {
                // Nothing answered in time: not a broker we could use either way.
            }
        }

        return descriptor is null ? new ExternalKafkaCluster(bootstrapServers) : new SharedEmbeddedCluster(descriptor with { BootstrapServers = bootstrapServers });
    }

    private static bool IsLoopbackOnly(string bootstrapServers) =>
        bootstrapServers.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).All(server =>
        {
            var host = server[..Math.Max(0, server.LastIndexOf(':'))].Trim('[', ']');
            return host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
                || (System.Net.IPAddress.TryParse(host, out var address) && System.Net.IPAddress.IsLoopback(address));
        });

    /// <summary>The descriptor published on the cluster at <paramref name="bootstrapServers"/>, or null when it has none (a real cluster).</summary>
    public static EmbeddedBrokerDescriptor? TryDiscover(string bootstrapServers, string clientId)
    {
        // Listing all topics rather than asking for one: a metadata request naming a topic auto-creates it on some real clusters.
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers, ClientId = clientId + "-discovery" })
            .SetLogHandler(static (_, _) => { })
            .Build())
        {
            var metadata = admin.GetMetadata(DiscoveryTimeout);
            if (!metadata.Topics.Any(t => t.Topic == EmbeddedBrokerDescriptor.DiscoveryTopic && t.Error.Code == ErrorCode.NoError))
            {
                return null;
            }
        }

        var config = new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            ClientId = clientId + "-discovery",
            GroupId = clientId + "-discovery", // Never joined or committed: the partition is assigned directly.
            EnableAutoCommit = false,
            FetchWaitMaxMs = 25,
        };
        using var consumer = new ConsumerBuilder<Ignore, string>(config).SetLogHandler(static (_, _) => { }).Build();
        consumer.Assign(new TopicPartitionOffset(EmbeddedBrokerDescriptor.DiscoveryTopic, 0, Offset.Beginning));
        var record = consumer.Consume(DiscoveryTimeout);
        consumer.Close();
        return record?.Message?.Value is { } json
            ? EmbeddedBrokerDescriptor.FromJson(json)
            : throw new InvalidOperationException($"The cluster at {bootstrapServers} has the topic {EmbeddedBrokerDescriptor.DiscoveryTopic} but no broker descriptor in it.");
    }
}
