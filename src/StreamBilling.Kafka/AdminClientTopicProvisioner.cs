using Confluent.Kafka;
using Confluent.Kafka.Admin;
using StreamBilling.Contracts;

namespace StreamBilling.Kafka;

/// <summary>Creates topics with the Admin API on a real cluster, treating "already exists" as success; on a cluster without CreateTopics (a shared embedded broker) it checks that they exist.</summary>
internal sealed class AdminClientTopicProvisioner(KafkaClientFactory clients) : ITopicProvisioner
{
    private static readonly TimeSpan MetadataTimeout = TimeSpan.FromSeconds(10);

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
        catch (KafkaException e) when (e.Error.Code == ErrorCode.Local_UnsupportedFeature)
        {
            // An embedded cluster in another process (`streambilling broker`) rejects CreateTopics; it created the
            // catalog topics itself, so it is enough that they exist with at least the partitions asked for.
            var existing = admin.GetMetadata(MetadataTimeout).Topics.ToDictionary(t => t.Topic, t => t.Partitions.Count, StringComparer.Ordinal);
            var missing = specifications
                .Where(t => !existing.TryGetValue(t.Name, out var partitions) || partitions < t.NumPartitions)
                .Select(t => $"{t.Name} ({t.NumPartitions} partitions)")
                .ToList();
            if (missing.Count > 0)
            {
                throw new InvalidOperationException(
                    $"The cluster at {clients.Cluster.BootstrapServers} cannot create topics ({e.Error.Reason}) and these are missing or have too few partitions: {string.Join(", ", missing)}.",
                    e);
            }
        }
    }
}
