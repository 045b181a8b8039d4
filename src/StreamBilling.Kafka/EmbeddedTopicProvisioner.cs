using StreamBilling.Contracts;

namespace StreamBilling.Kafka;

/// <summary>Creates topics through the mock cluster's C API (the mock rejects the CreateTopics request). Cleanup policy is ignored: the mock never compacts.</summary>
internal sealed class EmbeddedTopicProvisioner(EmbeddedKafkaCluster cluster) : ITopicProvisioner
{
    public Task EnsureTopicsAsync(IEnumerable<TopicSpec> topics, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(topics);
        foreach (var topic in topics)
        {
            cancellationToken.ThrowIfCancellationRequested();
            cluster.CreateTopic(topic.Name, topic.Partitions, topic.ReplicationFactor ?? 1);
        }

        return Task.CompletedTask;
    }
}
