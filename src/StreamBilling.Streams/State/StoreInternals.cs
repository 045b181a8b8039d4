namespace StreamBilling.Streams;

/// <summary>Lifecycle the task drives on every store it owns.</summary>
internal interface IRuntimeStore : IStateStore, IDisposable
{
    StoreKind Kind { get; }

    /// <summary>Applies changelog records (the format the change-logging layer writes) to the store.</summary>
    void Restore(IReadOnlyList<ChangelogRecord> batch);
}

/// <summary>A store behind the change-logging layer (<see cref="ChangeLoggingStore{TEntry}"/>).</summary>
internal interface ILoggedStore : IRuntimeStore
{
    /// <summary>
    /// Marks the entry behind a changelog key for logging at the next flush with its current value (or a tombstone), so
    /// changelog records of an incomplete commit are superseded by the state that was actually restored.
    /// </summary>
    void Relog(byte[] changelogKey);
}

/// <summary>
/// A store that keeps each value as its serialized bytes (RocksDB). The change-logging layer logs those bytes as they
/// are: the same bytes a deserialize and serialize again would give, without the round trip through the value's type.
/// </summary>
internal interface IStoredBytes
{
    /// <summary>The stored value bytes under <paramref name="keyBytes"/> (the key serde's bytes) and <paramref name="start"/> (a window's start; 0 in a key-value store), or null.</summary>
    byte[]? StoredBytes(byte[] keyBytes, long start);
}

/// <summary>A key-value store the task drives.</summary>
internal interface IRuntimeKeyValueStore<TKey, TValue> : IKeyValueStore<TKey, TValue>, IRuntimeStore;

/// <summary>A window store the task drives.</summary>
internal interface IRuntimeWindowStore<TKey, TValue> : IWindowStore<TKey, TValue>, IRuntimeStore
    where TKey : notnull
{
    /// <summary>The in-memory hot path of windowed aggregations, or null when the store has none (RocksDB).</summary>
    IWindowSlots<TKey, TValue>? Slots { get; }

    /// <summary>True when windows starting at <paramref name="start"/> are past retention (gone, puts ignored).</summary>
    bool IsExpired(long start);
}

/// <summary>Direct access to an in-memory window store's maps: one hash probe per aggregation update, no copies.</summary>
internal interface IWindowSlots<TKey, TValue>
    where TKey : notnull
{
    /// <summary>Moves the retention clock to <paramref name="start"/>; false when that window is already expired.</summary>
    bool Admit(long start);

    /// <summary>A reference to the slot of (key, start), created with default when missing.</summary>
    ref TValue? GetOrAddSlot(TKey key, long start, out bool existed);

    /// <summary>Window starts held, from <paramref name="from"/> to <paramref name="to"/> inclusive, in order.</summary>
    List<long> StartsBetween(long from, long to);

    /// <summary>The live map of one window start, or null; callers must not modify it.</summary>
    Dictionary<TKey, TValue>? BucketAt(long start);
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
