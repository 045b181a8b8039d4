using Confluent.Kafka;
using StreamBilling.Kafka;
using StreamBilling.Streams;
using StreamBilling.Streams.Kafka;

namespace StreamBilling.Cli;

/// <summary>
/// Waits until a stream application has committed its position at the end of every topic it reads. A commit first
/// acknowledges all output, so once an application is caught up, everything it will produce from that input is in its
/// output topics: the next application downstream can be waited for in turn.
/// </summary>
internal sealed class CommittedProgress(KafkaClientFactory clients, IReadOnlyList<KafkaStreams> running) : IDisposable
{
    private static readonly TimeSpan BrokerTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);
    private readonly IAdminClient _admin = clients.CreateAdminClient();

    /// <summary>Waits until <paramref name="topology"/>'s application has committed the end of its sources, then of its repartition topics.</summary>
    public async Task WaitAsync(Topology topology, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(topology);
        var external = topology.SourceTopics.Except(topology.RepartitionTopics, StringComparer.Ordinal).ToList();
        await WaitAsync(topology.ApplicationId, external, cancellationToken).ConfigureAwait(false);
        if (topology.RepartitionTopics.Count > 0)
        {
            await WaitAsync(topology.ApplicationId, topology.RepartitionTopics, cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose() => _admin.Dispose();

    /// <summary>Every partition of <paramref name="topic"/>.</summary>
    public static List<TopicPartition> PartitionsOf(IAdminClient admin, string topic) =>
        [.. admin.GetMetadata(topic, BrokerTimeout).Topics.SelectMany(t => t.Partitions.Select(p => new TopicPartition(t.Topic, p.PartitionId)))];

    private async Task WaitAsync(string groupId, IReadOnlyCollection<string> topics, CancellationToken cancellationToken)
    {
        var partitions = topics.SelectMany(t => PartitionsOf(_admin, t)).ToList();
        var high = (await _admin.ListWatermarksAsync(partitions, BrokerTimeout).ConfigureAwait(false)).High;
        var pending = partitions.Where(p => high[p] > 0).ToList();
        using var reader = new ConsumerBuilder<Ignore, Ignore>(clients.CreateConsumerConfig(groupId)).Build();
        while (pending.Count > 0)
        {
            foreach (var streams in running)
            {
                if (streams.Completion.IsFaulted)
                {
                    await streams.Completion.ConfigureAwait(false);
                }
            }

            // Committed offsets of the application's group, read without joining it.
            var committed = reader.Committed(pending, BrokerTimeout);
            pending = [.. committed.Where(c => c.Offset.IsSpecial || c.Offset.Value < high[c.TopicPartition]).Select(c => c.TopicPartition)];
            if (pending.Count > 0)
            {
                await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
