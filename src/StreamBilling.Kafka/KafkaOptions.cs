namespace StreamBilling.Kafka;

/// <summary>Where StreamBilling's Kafka and Schema Registry live; bound from the <c>Kafka</c> configuration section.</summary>
public sealed class KafkaOptions
{
    /// <summary>Configuration section the options bind from.</summary>
    public const string SectionName = "Kafka";

    /// <summary>
    /// Bootstrap servers of a real cluster or of a <c>streambilling broker</c> (found by its descriptor topic, see
    /// <see cref="SharedEmbeddedCluster.Connect"/>); empty means an embedded (librdkafka mock) cluster in this process.
    /// </summary>
    public string? BootstrapServers { get; set; }

    /// <summary>Schema Registry URL (<c>SchemaRegistry:Url</c>); empty means the in-memory registry (embedded mode and tests only).</summary>
    public string? SchemaRegistryUrl { get; set; }

    /// <summary>Brokers of the embedded cluster.</summary>
    public int EmbeddedBrokers { get; set; } = 3;

    /// <summary>
    /// How long a group's first join waits for more members on the embedded cluster (Kafka's
    /// <c>group.initial.rebalance.delay.ms</c>, 3 s on a real broker); default none, so a single host starts at once.
    /// </summary>
    public TimeSpan EmbeddedGroupInitialRebalanceDelay { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// How long the host retries, with back-off and a log line per attempt, a broker or Schema Registry that does not
    /// answer at start (they start together in compose) before it fails with the dependency named.
    /// </summary>
    public TimeSpan StartupTimeout { get; set; } = DefaultStartupTimeout;

    /// <summary>Default of <see cref="StartupTimeout"/>.</summary>
    public static TimeSpan DefaultStartupTimeout { get; } = TimeSpan.FromMinutes(2);

    /// <summary>Client id prefix used by every client the factory builds.</summary>
    public string ClientId { get; set; } = "streambilling";

    /// <summary>Consumer group session timeout; defaults to 3 s in embedded mode (the mock completes each rebalance round in about session - heartbeat) and 45 s on a real cluster.</summary>
    public TimeSpan? SessionTimeout { get; set; }

    /// <summary>Per-partition consumer lag (records) at which embedded-mode back-pressure producers pause.</summary>
    public long MaxLagPerPartition { get; set; } = 10_000;

    /// <summary>True when no bootstrap servers are configured, so the embedded cluster is used.</summary>
    public bool IsEmbedded => string.IsNullOrWhiteSpace(BootstrapServers);
}
