using StreamBilling.Contracts;

namespace StreamBilling.Kafka;

/// <summary>
/// The embedded cluster shared between processes (<c>streambilling broker</c>): started, given its topics, and its bootstrap
/// address written to a file that other processes read (<see cref="ReadAddress"/>) and pass as <c>Kafka:BootstrapServers</c>.
/// The cluster lives as long as this object; disposing it stops the brokers and removes the address file.
/// </summary>
public sealed class EmbeddedBroker : IDisposable
{
    /// <summary>Where <c>streambilling broker</c> writes its address unless told otherwise, relative to the working directory.</summary>
    public static readonly string DefaultAddressFile = Path.Combine(".streambilling", "broker.address");

    private readonly EmbeddedKafkaCluster _cluster;

    private EmbeddedBroker(EmbeddedKafkaCluster cluster, string addressFile, int topicCount)
    {
        _cluster = cluster;
        AddressFile = addressFile;
        TopicCount = topicCount;
    }

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
        try
        {
            var count = 0;
            foreach (var topic in topics)
            {
                cluster.CreateTopic(topic.Name, topic.Partitions, topic.ReplicationFactor ?? 1);
                count++;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(path)!);

            // Write then rename, so a reader never sees a half-written address.
            var temporary = path + ".tmp";
            File.WriteAllText(temporary, cluster.BootstrapServers + Environment.NewLine);
            File.Move(temporary, path, overwrite: true);
            return new EmbeddedBroker(cluster, path, count);
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    /// <summary>The bootstrap address a broker wrote to <paramref name="addressFile"/>.</summary>
    /// <exception cref="FileNotFoundException">No broker has written the file (is <c>streambilling broker</c> running?).</exception>
    public static string ReadAddress(string addressFile)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(addressFile);
        var address = File.ReadAllText(addressFile).Trim();
        return address.Length > 0 ? address : throw new InvalidDataException($"The broker address file {addressFile} is empty.");
    }

    /// <summary>Stops the brokers and deletes the address file if it still names them (another broker may have replaced it).</summary>
    public void Dispose()
    {
        try
        {
            if (File.Exists(AddressFile) && File.ReadAllText(AddressFile).Trim() == BootstrapServers)
            {
                File.Delete(AddressFile);
            }
        }
        catch (IOException)
        {
            // A stale address file is harmless: connecting to it fails fast.
        }
        finally
        {
            _cluster.Dispose();
        }
    }
}
