using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StreamBilling.Kafka;
using StreamBilling.Streams;
using StreamBilling.Streams.Kafka;

namespace StreamBilling.IntegrationTests.Pipeline;

/// <summary>Waits for a host's pipeline to have committed everything it read, for tests that then read its output.</summary>
internal static class PipelineProgress
{
    public static readonly TimeSpan BrokerTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The consumer group (application id) and source topics of each named stream application of <paramref name="host"/>.</summary>
    public static IEnumerable<(string Group, IEnumerable<string> Topics)> Applications(IHost host, params IEnumerable<string> names) =>
        names.Select(name => host.Services.GetRequiredKeyedService<Topology>(name))
            .Select(topology => (topology.ApplicationId, (IEnumerable<string>)topology.SourceTopics));

    /// <summary>
    /// Waits until, in one pass from upstream to downstream, every group has committed up to the end of every topic it
    /// reads. Each commits only after its output and store writes were acknowledged, so then nothing is in flight. Fails
    /// the test as soon as a stream application of <paramref name="host"/> failed.
    /// </summary>
    public static async Task WaitUntilCommittedAsync(IHost host, KafkaClientFactory clients, IAdminClient admin, IEnumerable<(string Group, IEnumerable<string> Topics)> groups, CancellationToken ct)
    {
        var registry = host.Services.GetRequiredService<KafkaStreamsRegistry>();
        var partitions = groups.Select(g => (g.Group, Partitions: Partitions(admin, g.Topics))).ToList();
        var readers = partitions.Select(g => new ConsumerBuilder<Ignore, Ignore>(clients.CreateConsumerConfig(g.Group)).Build()).ToList();
        try
        {
            while (true)
            {
                var failed = registry.Applications.Values.FirstOrDefault(a => a.State == KafkaStreamsState.Failed);
                Assert.True(failed is null, $"a stream application failed: {failed?.Error}");
                var idle = true;
                for (var i = 0; i < partitions.Count && idle; i++)
                {
                    idle = await LagAsync(admin, readers[i], partitions[i].Partitions) == 0;
                }

                if (idle)
                {
                    return;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(200), ct);
            }
        }
        finally
        {
            readers.ForEach(r => r.Dispose());
        }
    }

    /// <summary>Every partition of <paramref name="topics"/>.</summary>
    public static List<TopicPartition> Partitions(IAdminClient admin, IEnumerable<string> topics) =>
        [.. topics.SelectMany(topic => admin.GetMetadata(topic, BrokerTimeout).Topics
            .SelectMany(t => t.Partitions.Select(p => new TopicPartition(t.Topic, p.PartitionId))))];

    /// <summary>Records not yet committed by the reader's group (committed offsets read first, so later output counts).</summary>
    private static async Task<long> LagAsync(IAdminClient admin, IConsumer<Ignore, Ignore> groupReader, IReadOnlyList<TopicPartition> partitions)
    {
        var committed = groupReader.Committed(partitions, BrokerTimeout);
        var (low, high) = await admin.ListWatermarksAsync(partitions, BrokerTimeout);
        return committed.Sum(c => high[c.TopicPartition] - (c.Offset.IsSpecial ? low[c.TopicPartition] : c.Offset.Value));
    }
}
