namespace StreamBilling.Kafka;

/// <summary>A real cluster reached through configured bootstrap servers.</summary>
internal sealed class ExternalKafkaCluster(string bootstrapServers) : IKafkaCluster
{
    public string BootstrapServers { get; } = bootstrapServers;

    public bool IsEmbedded => false;
}
