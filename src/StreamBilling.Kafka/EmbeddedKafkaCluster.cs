using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace StreamBilling.Kafka;

/// <summary>
/// librdkafka's in-process mock cluster, held by an admin client created with <c>test.mock.num.brokers</c>; the cluster
/// lives exactly as long as this object. Other processes can connect to <see cref="BootstrapServers"/>.
/// It has no transactions, compaction, OffsetsForTimes or persistence, and keeps only the newest ~5 MB per partition.
/// Never call ListConsumerGroups/DeleteGroups against it: they crash the process.
/// </summary>
public sealed class EmbeddedKafkaCluster : IKafkaCluster, IAsyncDisposable, IDisposable
{
    private const int TopicAlreadyExists = 36;
    private readonly IAdminClient _holder;
    private readonly SafeHandle _handle;
    private readonly nint _mockCluster;
    private readonly Lock _gate = new();
    private bool _disposed;

    private EmbeddedKafkaCluster(IAdminClient holder, SafeHandle handle, nint mockCluster, string bootstrapServers, int brokerCount)
    {
        _holder = holder;
        _handle = handle;
        _mockCluster = mockCluster;
        BootstrapServers = bootstrapServers;
        BrokerCount = brokerCount;
    }

    /// <inheritdoc />
    public string BootstrapServers { get; }

    /// <inheritdoc />
    public bool IsEmbedded => true;

    /// <summary>Number of mock brokers.</summary>
    public int BrokerCount { get; }

    /// <summary>
    /// Starts a mock cluster of <paramref name="brokerCount"/> brokers. A group's first join waits
    /// <paramref name="groupInitialRebalanceDelay"/> for more members (Kafka's <c>group.initial.rebalance.delay.ms</c>,
    /// 3 s on a real broker); default none.
    /// </summary>
    public static EmbeddedKafkaCluster Start(int brokerCount = 3, TimeSpan? groupInitialRebalanceDelay = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokerCount, 1);
        var delay = groupInitialRebalanceDelay ?? TimeSpan.Zero;
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero, nameof(groupInitialRebalanceDelay));
        var config = new AdminClientConfig(new Dictionary<string, string>
        {
            ["test.mock.num.brokers"] = brokerCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
        })
        {
            ClientId = "streambilling-embedded-cluster",
        };

        // The mock announces itself at log level 5 on every start; that is noise, real errors still surface.
        var holder = new AdminClientBuilder(config)
            .SetLogHandler((_, message) =>
            {
                if (message.Level <= SyslogLevel.Warning)
                {
                    Console.Error.WriteLine($"[embedded-kafka] {message.Level} {message.Facility}: {message.Message}");
                }
            })
            .Build();
        try
        {
            var metadata = holder.GetMetadata(TimeSpan.FromSeconds(10));
            var bootstrap = string.Join(',', metadata.Brokers.OrderBy(b => b.BrokerId).Select(b => $"{b.Host}:{b.Port}"));
            var handle = MockClusterApi.GetClientHandle(holder);
            var mockCluster = MockClusterApi.HandleMockCluster(handle.DangerousGetHandle());
            if (mockCluster == 0)
            {
                throw new InvalidOperationException("librdkafka did not create a mock cluster for test.mock.num.brokers.");
            }

            // Kafka's 3 s group.initial.rebalance.delay.ms makes every first group join slow; tests and benches need none.
            MockClusterApi.GroupInitialRebalanceDelayMs(mockCluster, (int)delay.TotalMilliseconds);
            _ = MockClusterApi.SetControllerId(mockCluster, 1);
            return new EmbeddedKafkaCluster(holder, handle, mockCluster, bootstrap, brokerCount);
        }
        catch
        {
            holder.Dispose();
            throw;
        }
    }

    /// <summary>Creates a topic with any partition count (CreateTopics is not supported by the mock). Returns false if it already existed.</summary>
    public bool CreateTopic(string name, int partitions, int replicationFactor = 1)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(replicationFactor, 1);
        var error = WithCluster(mc => MockClusterApi.TopicCreate(mc, name, partitions, Math.Min(replicationFactor, BrokerCount)));
        return error switch
        {
            0 => true,
            TopicAlreadyExists => false,
            _ => throw new KafkaException(new Error((ErrorCode)error, $"Creating mock topic '{name}' failed")),
        };
    }

    /// <summary>Deletes records of a partition below <paramref name="beforeOffset"/>, moving its low watermark (simulates retention).</summary>
    public void DeleteRecords(string topic, int partition, long beforeOffset)
    {
        var error = WithCluster(mc => MockClusterApi.PartitionDeleteRecords(mc, topic, partition, beforeOffset));
        if (error != 0)
        {
            throw new KafkaException(new Error((ErrorCode)error, $"Deleting records of {topic}[{partition}] failed"));
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        _holder.Dispose();
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private int WithCluster(Func<nint, int> call)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);

            // Keep the rd_kafka_t alive while native code uses its mock cluster.
            var added = false;
            _handle.DangerousAddRef(ref added);
            try
            {
                return call(_mockCluster);
            }
            finally
            {
                if (added)
                {
                    _handle.DangerousRelease();
                }
            }
        }
    }
}
