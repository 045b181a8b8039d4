using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace StreamBilling.Kafka;

/// <summary>Watermarks of many partitions in two batched ListOffsets requests.</summary>
/// <remarks>
/// A consumer's <c>QueryWatermarkOffsets</c> costs one round trip per partition, and on the embedded cluster each takes
/// a large fraction of a second, so a report over all catalog partitions would take minutes.
/// </remarks>
public static class AdminClientWatermarkExtensions
{
    /// <summary>The low (oldest offset present) and high (next offset to be written) watermark of each of <paramref name="partitions"/>.</summary>
    public static async Task<(IReadOnlyDictionary<TopicPartition, long> Low, IReadOnlyDictionary<TopicPartition, long> High)> ListWatermarksAsync(
        this IAdminClient admin, IEnumerable<TopicPartition> partitions, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(admin);
        ArgumentNullException.ThrowIfNull(partitions);
        var list = partitions.ToList();
        if (list.Count == 0)
        {
            return (new Dictionary<TopicPartition, long>(), new Dictionary<TopicPartition, long>());
        }

        var options = new ListOffsetsOptions { RequestTimeout = timeout };
        var low = await admin.ListOffsetsAsync(list.Select(p => new TopicPartitionOffsetSpec { TopicPartition = p, OffsetSpec = OffsetSpec.Earliest() }), options).ConfigureAwait(false);
        var high = await admin.ListOffsetsAsync(list.Select(p => new TopicPartitionOffsetSpec { TopicPartition = p, OffsetSpec = OffsetSpec.Latest() }), options).ConfigureAwait(false);
        return (ToDictionary(low), ToDictionary(high));
    }

    private static Dictionary<TopicPartition, long> ToDictionary(ListOffsetsResult result) =>
        result.ResultInfos.ToDictionary(r => r.TopicPartitionOffsetError.TopicPartition, r => r.TopicPartitionOffsetError.Offset.Value);
}
