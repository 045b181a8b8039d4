using Confluent.Kafka;
using Confluent.Kafka.Admin;
using StreamBilling.Contracts;

namespace StreamBilling.Kafka;

/// <summary>Creates topics with the Admin API on a real cluster, treating "already exists" as success.</summary>
internal sealed class AdminClientTopicProvisioner(KafkaClientFactory clients) : ITopicProvisioner
{
    public async Task EnsureTopicsAsync(IEnumerable<TopicSpec> topics, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(topics);
        var specifications = topics.Select(t => new TopicSpecification
        {
            Name = t.Name,
            NumPartitions = t.Partitions,
            ReplicationFactor = t.ReplicationFactor ?? -1,
            Configs = new Dictionary<string, string>
            {
                ["cleanup.policy"] = t.CleanupPolicy == TopicCleanupPolicy.Compact ? "compact" : "delete",
            },
        }).ToList();
        if (specifications.Count == 0)
        {
            return;
        }

        using var admin = clients.CreateAdminClient();
        try
        {
            await admin.CreateTopicsAsync(specifications).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (CreateTopicsException e) when (e.Results.All(r => r.Error.Code is ErrorCode.NoError or ErrorCode.TopicAlreadyExists))
        {
            // Topics left over from an earlier start: nothing to do.
        }
    }
}
