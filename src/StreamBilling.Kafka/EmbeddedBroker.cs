using Confluent.Kafka;
using StreamBilling.Contracts;

namespace StreamBilling.Kafka;

/// <summary>
/// The embedded cluster shared between processes (<c>streambilling broker</c>): started, given its topics, its loopback
/// endpoint started (topic creation and a Schema Registry for other processes), its <see cref="EmbeddedBrokerDescriptor"/>
/// published on <see cref="EmbeddedBrokerDescriptor.DiscoveryTopic"/> and written to <see cref="DescriptorFile"/>, and its
/// bootstrap address written to a file that other processes read (<see cref="ReadAddress"/>) and pass as
/// <c>Kafka:BootstrapServers</c>; from the address alone they find the rest. The cluster lives as long as this object;
/// disposing it stops the endpoint and the brokers and removes both files.
/// </summary>
public sealed class EmbeddedBroker : IDisposable
{
    /// <summary>Where <c>streambilling broker</c> writes its address unless told otherwise, relative to the working directory.</summary>
    public static readonly string DefaultAddressFile = Path.Combine(".streambilling", "broker.address");

    private readonly EmbeddedKafkaCluster _cluster;
    private readonly EmbeddedBrokerServer _server;
    private readonly InMemorySchemaRegistryClient _registry;

    private EmbeddedBroker(EmbeddedKafkaCluster cluster, EmbeddedBrokerServer server, InMemorySchemaRegistryClient registry, string addressFile, int topicCount)
    {
        _cluster = cluster;
        _server = server;
        _registry = registry;
        AddressFile = addressFile;
        TopicCount = topicCount;
    }

    /// <summary>What clients learn about this broker (bootstrap, control and registry URLs, capabilities).</summary>
    public EmbeddedBrokerDescriptor Descriptor => _server.Descriptor;

    /// <summary>The registry behind the broker's Schema Registry API (the same ids every client sees).</summary>
    public InMemorySchemaRegistryClient SchemaRegistry => _registry;

    /// <summary>Full path of <c>broker.json</c> next to <see cref="AddressFile"/>: the <see cref="Descriptor"/> as JSON.</summary>
    public string DescriptorFile => DescriptorFileOf(AddressFile);

    /// <summary>The running cluster.</summary>
    public EmbeddedKafkaCluster Cluster => _cluster;

    /// <summary>Comma-separated <c>127.0.0.1:port</c> list of the brokers.</summary>
    public string BootstrapServers => _cluster.BootstrapServers;

    /// <summary>Full path of the file holding <see cref="BootstrapServers"/>.</summary>
    public string AddressFile { get; }

    /// <summary>Number of topics created at start.</summary>
    public int TopicCount { get; }

    /// <summary>
    /// Starts <paramref name="brokerCount"/> brokers, creates <paramref name="topics"/> with their partition counts, then writes
    /// the bootstrap address to <paramref name="addressFile"/> (creating its folder). The file appears only once the topics exist,
    /// so a process that finds it can use them at once.
    /// </summary>
    public static EmbeddedBroker Start(int brokerCount, IEnumerable<TopicSpec> topics, string addressFile)
    {
        ArgumentNullException.ThrowIfNull(topics);
        ArgumentException.ThrowIfNullOrWhiteSpace(addressFile);
        var path = Path.GetFullPath(addressFile);
        var cluster = EmbeddedKafkaCluster.Start(brokerCount);
        var registry = new InMemorySchemaRegistryClient();
        EmbeddedBrokerServer? server = null;
        try
        {
            var count = 0;
            foreach (var topic in topics)
            {
                cluster.CreateTopic(topic.Name, topic.Partitions, topic.ReplicationFactor ?? 1);
                count++;
            }

            cluster.CreateTopic(EmbeddedBrokerDescriptor.DiscoveryTopic, 1);
            server = EmbeddedBrokerServer.Start(cluster, registry);
            Publish(server.Descriptor);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            WriteAtomically(DescriptorFileOf(path), server.Descriptor.ToJson());
            WriteAtomically(path, cluster.BootstrapServers);
            return new EmbeddedBroker(cluster, server, registry, path, count);
        }
        catch
        {
            server?.Dispose();
            cluster.Dispose();
            throw;
        }
    }

    /// <summary>The descriptor a broker wrote next to <paramref name="addressFile"/>.</summary>
    public static EmbeddedBrokerDescriptor ReadDescriptor(string addressFile) =>
        EmbeddedBrokerDescriptor.FromJson(File.ReadAllText(DescriptorFileOf(addressFile)));

    private static string DescriptorFileOf(string addressFile) => Path.Combine(Path.GetDirectoryName(Path.GetFullPath(addressFile))!, "broker.json");

    /// <summary>One record on the discovery topic, so a client given only the bootstrap address finds the endpoint.</summary>
    private static void Publish(EmbeddedBrokerDescriptor descriptor)
    {
        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = descriptor.BootstrapServers, Acks = Acks.All, EnableIdempotence = true })
            .SetLogHandler(static (_, _) => { })
            .Build();
        producer.Produce(EmbeddedBrokerDescriptor.DiscoveryTopic, new Message<Null, string> { Value = descriptor.ToJson() });
        if (producer.Flush(TimeSpan.FromSeconds(10)) > 0)
        {
            throw new InvalidOperationException("The broker descriptor could not be published to " + EmbeddedBrokerDescriptor.DiscoveryTopic + ".");
        }
    }

    /// <summary>Write then rename, so a reader never sees a half-written file.</summary>
    private static void WriteAtomically(string path, string text)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, text + Environment.NewLine);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The bootstrap address a broker wrote to <paramref name="addressFile"/>.</summary>
    /// <exception cref="FileNotFoundException">No broker has written the file (is <c>streambilling broker</c> running?).</exception>
    public static string ReadAddress(string addressFile)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(addressFile);
        var address = File.ReadAllText(addressFile).Trim();
        return address.Length > 0 ? address : throw new InvalidDataException($"The broker address file {addressFile} is empty.");
    }

    /// <summary>Stops the endpoint and the brokers and deletes the address and descriptor files if they still name them (another broker may have replaced them).</summary>
    public void Dispose()
    {
        try
        {
            if (File.Exists(AddressFile) && File.ReadAllText(AddressFile).Trim() == BootstrapServers)
            {
                File.Delete(AddressFile);
                File.Delete(DescriptorFile);
            }
        }
        catch (IOException)
        {
            // A stale address file is harmless: connecting to it fails fast.
        }
        finally
        {
            _server.Dispose();
            _registry.Dispose();
            _cluster.Dispose();
        }
    }
}
