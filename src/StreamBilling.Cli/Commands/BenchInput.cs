using System.Text;
using Confluent.Kafka;
using StreamBilling.Events.Cdn;
using StreamBilling.Simulation;

namespace StreamBilling.Cli.Commands;

/// <summary>
/// A pipeline bench's encoded input, held compactly: it lives in the measured process, and its memory (and the collector's
/// work on it) is the load generator's, not the pipeline's. Values share one buffer, equal keys share one array, and the
/// CloudWatch samples are found by a 64-bit hash of their event id rather than a dictionary of strings.
/// </summary>
internal sealed class BenchInput(
    string[] topics,
    byte[][] keys,
    byte[] values,
    int[] valueStarts,
    long[] timestamps,
    bool[][] reads,
    ulong[] sampleHashes,
    int[] samplePositions,
    long encodedBytes)
{
    /// <summary>Number of events.</summary>
    public int Count => Topics.Length;

    /// <summary>Each event's topic.</summary>
    public string[] Topics { get; } = topics;

    /// <summary>Per application (in the order given to <see cref="Encode"/>), whether it reads each event.</summary>
    public bool[][] Reads { get; } = reads;

    /// <summary>Bytes of the encoded keys and values (what the input costs the process, not the pipeline).</summary>
    public long EncodedBytes { get; } = encodedBytes;

    /// <summary>
    /// Encodes <paramref name="events"/> with <paramref name="encode"/> as they are enumerated (none is kept);
    /// <paramref name="sources"/> are the topics each application reads.
    /// </summary>
    public static BenchInput Encode(IEnumerable<SimulatedEvent> events, Func<SimulatedEvent, byte[]> encode, IReadOnlyList<IReadOnlySet<string>> sources)
    {
        var topics = new List<string>();
        var keys = new List<byte[]>();
        var timestamps = new List<long>();
        var valueStarts = new List<int>();
        var reads = sources.Select(_ => new List<bool>()).ToList();
        var sharedKeys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var samples = new List<(ulong Hash, int Position)>();
        using var values = new MemoryStream();
        foreach (var e in events)
        {
            if (e.Value is CdnTraffic { dataSource: CdnDataSource.CloudWatch } sample)
            {
                samples.Add((Hash(sample.eventId), topics.Count));
            }

            topics.Add(e.Topic);
            if (!sharedKeys.TryGetValue(e.Key, out var key))
            {
                sharedKeys[e.Key] = key = Encoding.UTF8.GetBytes(e.Key);
            }

            keys.Add(key);
            timestamps.Add(e.Timestamp.ToUnixTimeMilliseconds());
            valueStarts.Add(checked((int)values.Length));
            values.Write(encode(e));
            for (var r = 0; r < sources.Count; r++)
            {
                reads[r].Add(sources[r].Contains(e.Topic));
            }
        }

        valueStarts.Add(checked((int)values.Length));
        // A re-sent sample (the simulator repeats some, as producers retry) is found at its last position.
        samples.Sort();
        samples = [.. samples.Where((s, i) => i == samples.Count - 1 || samples[i + 1].Hash != s.Hash)];

        var encodedBytes = values.Length + keys.Sum(k => (long)k.Length);
        return new BenchInput([.. topics], [.. keys], values.ToArray(), [.. valueStarts], [.. timestamps], [.. reads.Select(r => r.ToArray())], [.. samples.Select(s => s.Hash)], [.. samples.Select(s => s.Position)], encodedBytes);
    }

    /// <summary>A fresh message for event <paramref name="index"/> (the producer copies it, so it is garbage right after).</summary>
    public Message<byte[], byte[]> MessageAt(int index) => new()
    {
        Key = keys[index],
        Value = values[valueStarts[index]..valueStarts[index + 1]],
        Timestamp = new Timestamp(timestamps[index], TimestampType.CreateTime),
    };

    /// <summary>The position of the CloudWatch sample with <paramref name="eventId"/>.</summary>
    public bool TryFindSample(string eventId, out int index)
    {
        var found = Array.BinarySearch(sampleHashes, Hash(eventId));
        index = found >= 0 ? samplePositions[found] : -1;
        return found >= 0;
    }

    // FNV-1a over the UTF-16 code units: stable across processes, unlike string.GetHashCode.
    private static ulong Hash(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }
}
