using Confluent.Kafka;
using Confluent.Kafka.Admin;
using StreamBilling.Contracts;

namespace StreamBilling.Cli.Commands.Chaos;

/// <summary>
/// Before each chaos run on a real cluster (which, unlike the embedded broker, cannot be started fresh): deletes the
/// StreamBilling consumer groups and topics there (catalog topics, their dead-letter topics and the stream applications'
/// internal topics), so both runs start from an empty cluster as they do on a fresh embedded broker.
/// </summary>
internal static class RealClusterWipe
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly HashSet<string> CatalogTopics = [.. Topics.AllWithDeadLetters().Select(t => t.Name)];

    /// <summary>Whether <paramref name="topic"/> is one StreamBilling writes: a catalog or dead-letter topic, or a stream application's own.</summary>
    public static bool IsStreamBillingTopic(string topic) =>
        CatalogTopics.Contains(topic) || topic.StartsWith("streambilling-", StringComparison.Ordinal);

    /// <summary>Whether <paramref name="group"/> is one of StreamBilling's consumer groups (applications, sinks, reports).</summary>
    public static bool IsStreamBillingGroup(string group) => group.StartsWith("streambilling-", StringComparison.Ordinal);

    /// <summary>Deletes the groups, then the topics, and waits until the cluster no longer lists them.</summary>
    public static async Task WipeAsync(string bootstrapServers, Action<string> log, CancellationToken cancellationToken)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).Build();
        var groups = (await admin.ListConsumerGroupsAsync(new ListConsumerGroupsOptions { RequestTimeout = Timeout }))
            .Valid.Select(g => g.GroupId).Where(IsStreamBillingGroup).ToList();
        if (groups.Count > 0)
        {
            try
            {
                await admin.DeleteGroupsAsync(groups, new DeleteGroupsOptions { RequestTimeout = Timeout });
            }
            catch (DeleteGroupsException e) when (e.Results.All(r => !r.Error.IsError || r.Error.Code == ErrorCode.GroupIdNotFound))
            {
                // Already gone.
            }
        }

        var topics = admin.GetMetadata(Timeout).Topics.Select(t => t.Topic).Where(IsStreamBillingTopic).ToList();
        if (topics.Count > 0)
        {
            try
            {
                await admin.DeleteTopicsAsync(topics, new DeleteTopicsOptions { RequestTimeout = Timeout });
            }
            catch (DeleteTopicsException e) when (e.Results.All(r => !r.Error.IsError || r.Error.Code == ErrorCode.UnknownTopicOrPart))
            {
                // Already gone.
            }
        }

        // Deletion is asynchronous on the brokers: recreating a topic still being deleted fails.
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromMinutes(2);
        while (admin.GetMetadata(Timeout).Topics.Any(t => IsStreamBillingTopic(t.Topic)))
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new ChaosRunException($"the cluster at {bootstrapServers} still lists StreamBilling topics 2 minutes after deleting them");
            }

            await Task.Delay(500, cancellationToken);
        }

        log($"wiped {topics.Count} topics and {groups.Count} consumer groups on {bootstrapServers}");
    }
}
