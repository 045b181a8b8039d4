namespace StreamBilling.Kafka;

/// <summary>The Kafka cluster StreamBilling talks to: the embedded mock cluster or a real one.</summary>
public interface IKafkaCluster
{
    /// <summary>Comma-separated <c>host:port</c> list clients bootstrap from.</summary>
    string BootstrapServers { get; }

    /// <summary>True for librdkafka's in-process mock cluster (no transactions, compaction, persistence; 5 MB per partition).</summary>
    bool IsEmbedded { get; }
}
