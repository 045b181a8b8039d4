using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StreamBilling.Contracts;
using StreamBilling.Kafka;
using StreamBilling.Pipeline.Cdn;
using StreamBilling.Pipeline.Hosting;
using StreamBilling.Pipeline.Invoicing;
using StreamBilling.Pipeline.Rollups;
using StreamBilling.Streams;

namespace StreamBilling.Cli.Commands.Chaos;

/// <summary>
/// How far the host's consumers are behind: for each consumer group of the host with its default settings (the six stream
/// applications and the three store consumers), the records on the topics it reads that it has not committed yet. Read
/// from outside the host (committed offsets and watermarks), so it keeps working while the host is killed and restarted.
/// </summary>
internal sealed class PipelineLag : IDisposable
{
    private static readonly TimeSpan BrokerTimeout = TimeSpan.FromSeconds(10);
    private readonly IAdminClient _admin;
    private readonly IReadOnlyList<(string Group, IReadOnlyList<string> Topics, IConsumer<Ignore, Ignore> Reader)> _groups;

    private PipelineLag(IAdminClient admin, IReadOnlyList<(string Group, IReadOnlyList<string> Topics, IConsumer<Ignore, Ignore> Reader)> groups)
    {
        _admin = admin;
        _groups = groups;
    }

    /// <summary>The consumer groups and the topics they read, as the host registers them with its default settings.</summary>
    public static IReadOnlyList<(string Group, IReadOnlyList<string> Topics)> HostGroups(string bootstrapServers)
    {
        // The host's own registrations, built but never started: application ids and source topics come from the topologies.
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Kafka:BootstrapServers"] = bootstrapServers });
        builder.AddStreamBillingKafka();
        builder.AddBillingTopologies();
        using var host = builder.Build();
        return
        [
            .. PipelineApplications.All
                .Select(name => host.Services.GetRequiredKeyedService<Topology>(name))
                .Select(t => (t.ApplicationId, t.SourceTopics)),
            (CdnControllerService.GroupId, [Topics.CdnCaps]),
            (RollupSink.DefaultGroupId, [Topics.HourlyRollups]),
            (InvoiceSink.DefaultGroupId, [Topics.Invoices]),
        ];
    }

    /// <summary>Watches <paramref name="groups"/> on the cluster of <paramref name="clients"/>.</summary>
    public static PipelineLag Watch(KafkaClientFactory clients, IReadOnlyList<(string Group, IReadOnlyList<string> Topics)> groups) =>
        new(
            clients.CreateAdminClient(),
            [.. groups.Select(g => (g.Group, g.Topics, new ConsumerBuilder<Ignore, Ignore>(clients.CreateConsumerConfig(g.Group)).SetLogHandler(static (_, _) => { }).Build()))]);

    /// <summary>
    /// Records not yet committed, summed over every group and partition (a partition the group never committed counts from
    /// its low watermark); the sum of the committed offsets (it grows while the host makes progress); and the sum of every
    /// topic's high watermark (it stops moving once nothing is produced).
    /// </summary>
    public async Task<(long Lag, long Committed, long Produced)> MeasureAsync()
    {
        var (lag, committed, produced, _) = await MeasureByGroupAsync();
        return (lag, committed, produced);
    }

    /// <summary>The groups still behind and by how much: what a run that does not catch up reports.</summary>
    public async Task<string> DescribeLagAsync()
    {
        var (_, _, _, byGroup) = await MeasureByGroupAsync();
        var behind = byGroup.Where(g => g.Value > 0).Select(g => $"{g.Key} {g.Value:N0}").ToList();
        return behind.Count == 0 ? "no group is behind" : "behind: " + string.Join(", ", behind);
    }

    private async Task<(long Lag, long Committed, long Produced, IReadOnlyDictionary<string, long> ByGroup)> MeasureByGroupAsync()
    {
        var metadata = _admin.GetMetadata(BrokerTimeout);
        var partitions = metadata.Topics
            .Where(t => t.Error.Code == ErrorCode.NoError)
            .ToDictionary(t => t.Topic, t => t.Partitions.Select(p => new TopicPartition(t.Topic, p.PartitionId)).ToList(), StringComparer.Ordinal);
        var all = partitions.Values.SelectMany(p => p).ToList();
        var (low, high) = await _admin.ListWatermarksAsync(all, BrokerTimeout);
        long lag = 0;
        long committedSum = 0;
        var byGroup = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (group, topics, reader) in _groups)
        {
            // Repartition topics appear once their application has started.
            var read = topics.Where(partitions.ContainsKey).SelectMany(t => partitions[t]).ToList();
            if (read.Count == 0)
            {
                continue;
            }

            long groupLag = 0;
            foreach (var committed in reader.Committed(read, BrokerTimeout))
            {
                var from = committed.Offset.IsSpecial ? low[committed.TopicPartition] : committed.Offset.Value;
                groupLag += Math.Max(0, high[committed.TopicPartition] - from);
                committedSum += committed.Offset.IsSpecial ? 0 : committed.Offset.Value;
            }

            byGroup[group] = groupLag;
            lag += groupLag;
        }

        return (lag, committedSum, high.Values.Sum(), byGroup);
    }

    public void Dispose()
    {
        foreach (var (_, _, reader) in _groups)
        {
            reader.Dispose();
        }

        _admin.Dispose();
    }
}
