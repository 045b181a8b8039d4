using StreamBilling.Contracts;

namespace StreamBilling.Kafka;

/// <summary>Creates topics that do not exist yet; existing topics are left as they are.</summary>
public interface ITopicProvisioner
{
    /// <summary>Ensures every topic in <paramref name="topics"/> exists.</summary>
    Task EnsureTopicsAsync(IEnumerable<TopicSpec> topics, CancellationToken cancellationToken = default);
}
