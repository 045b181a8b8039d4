using System.Globalization;
using System.Text;
using Confluent.Kafka;

namespace StreamBilling.Streams.Kafka;

/// <summary>
/// The last record of a commit in each changelog partition of a task: commit sequence, the task's input position and
/// stream time. Restore applies only changelog records that a marker closes, and resumes input where the marker says,
/// so state and input position always match — even without transactions, a crash between writing the changelog and
/// committing offsets neither double-counts nor loses records.
/// </summary>
internal sealed record CommitMarker(long Sequence, DateTimeOffset StreamTime, IReadOnlyList<TopicPartitionOffset> Positions)
{
    /// <summary>Header that tells a marker from a store record.</summary>
    public const string HeaderName = "sb-commit";

    /// <summary>Key of every marker: not a valid serialized store key of any of our serdes (a NUL-prefixed tag).</summary>
    public static readonly byte[] Key = "\0sb-commit"u8.ToArray();

    public static bool IsMarker(Confluent.Kafka.Headers? headers) => headers is not null && headers.TryGetLastBytes(HeaderName, out _);

    public Message<byte[], byte[]> ToMessage()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{Sequence}\n{StreamTime.UtcTicks}\n");
        foreach (var position in Positions)
        {
            text.Append(CultureInfo.InvariantCulture, $"{position.Partition.Value} {position.Offset.Value} {position.Topic}\n");
        }

        return new Message<byte[], byte[]>
        {
            Key = Key,
            Value = Encoding.UTF8.GetBytes(text.ToString()),
            Timestamp = new Timestamp(StreamTime == DateTimeOffset.MinValue ? DateTimeOffset.UnixEpoch : StreamTime),
            Headers = new Confluent.Kafka.Headers { { HeaderName, [1] } },
        };
    }

    public static CommitMarker Parse(byte[] value)
    {
        var lines = Encoding.UTF8.GetString(value).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var positions = new List<TopicPartitionOffset>();
        foreach (var line in lines.Skip(2))
        {
            var parts = line.Split(' ', 3);
            positions.Add(new TopicPartitionOffset(parts[2], new Partition(int.Parse(parts[0], CultureInfo.InvariantCulture)), new Offset(long.Parse(parts[1], CultureInfo.InvariantCulture))));
        }

        return new CommitMarker(
            long.Parse(lines[0], CultureInfo.InvariantCulture),
            new DateTimeOffset(long.Parse(lines[1], CultureInfo.InvariantCulture), TimeSpan.Zero),
            positions);
    }
}
