namespace StreamBilling.Streams;

/// <summary>Lifecycle the task drives on every store it owns.</summary>
internal interface IRuntimeStore : IStateStore, IDisposable
{
    StoreKind Kind { get; }

    /// <summary>
    /// Marks the entry behind a changelog key for logging at the next flush with its current value (or a tombstone), so
    /// changelog records of an incomplete commit are superseded by the state that was actually restored.
    /// </summary>
    void Relog(byte[] changelogKey);

    void Restore(IReadOnlyList<ChangelogRecord> batch);
}

/// <summary>What a store needs from its task when it is built.</summary>
internal sealed class StoreInitContext(TaskId taskId, string? changelogTopic, IChangelogWriter? writer, string? stateDirectory, Func<DateTimeOffset> clock)
{
    public TaskId TaskId { get; } = taskId;

    public string? ChangelogTopic { get; } = changelogTopic;

    public IChangelogWriter? Writer { get; } = writer;

    public string? StateDirectory { get; } = stateDirectory;

    public Func<DateTimeOffset> Clock { get; } = clock;

    public bool Logs => Writer is not null && ChangelogTopic is not null;

    public string SerdeTopic(string storeName) => ChangelogTopic ?? storeName;

    public void Log(byte[] key, byte[]? value) =>
        Writer!.Write(new ChangelogRecord(ChangelogTopic!, TaskId.Partition, key, value, Clock()));

    public string StorePath(string storeName)
    {
        if (StateDirectory is null)
        {
            throw new InvalidOperationException($"Store '{storeName}' is persistent but the task has no StateDirectory.");
        }

        var path = Path.Combine(StateDirectory, TaskId.ToString(), storeName);
        Directory.CreateDirectory(path);
        return path;
    }
}

internal sealed class ByteArrayComparer : IEqualityComparer<byte[]>, IComparer<byte[]>
{
    public static readonly ByteArrayComparer Instance = new();

    public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

    public int GetHashCode(byte[] obj)
    {
        var hash = new HashCode();
        hash.AddBytes(obj);
        return hash.ToHashCode();
    }

    public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
}

internal static class WindowKeys
{
    /// <summary>Changelog key of a window entry: key bytes then the start as 8 big-endian tick bytes.</summary>
    public static byte[] Changelog(byte[] key, long start)
    {
        var bytes = new byte[key.Length + 8];
        key.CopyTo(bytes, 0);
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(key.Length), start);
        return bytes;
    }

    public static (byte[] Key, long Start) SplitChangelog(byte[] bytes)
    {
        if (bytes.Length < 8)
        {
            throw new FormatException("A window changelog key has at least 8 bytes.");
        }

        var keyLength = bytes.Length - 8;
        return (bytes[..keyLength], System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(keyLength)));
    }
}
