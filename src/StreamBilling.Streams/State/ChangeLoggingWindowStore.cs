using System.Diagnostics.CodeAnalysis;

namespace StreamBilling.Streams;

/// <summary>
/// Change logging around an in-memory or RocksDB window store; changelog key = serialized key ‖ window start (8
/// big-endian UTC-tick bytes). A window that expired before the flush is not logged: a restore would drop it anyway.
/// </summary>
internal sealed class ChangeLoggingWindowStore<TKey, TValue>(
    IRuntimeWindowStore<TKey, TValue> inner,
    ISerde<TKey> keySerde,
    ISerde<TValue> valueSerde,
    StoreInitContext context)
    : ChangeLoggingStore<(TKey Key, long Start)>(inner, context), IRuntimeWindowStore<TKey, TValue>, IWindowSlots<TKey, TValue>
    where TKey : notnull
{
    private readonly IWindowSlots<TKey, TValue>? _innerSlots = inner.Slots;

    public TimeSpan WindowSize => inner.WindowSize;

    public TimeSpan Retention => inner.Retention;

    /// <summary>The inner store's slots with logging, when the inner store has them (in memory).</summary>
    public IWindowSlots<TKey, TValue>? Slots => _innerSlots is null ? null : this;

    public bool IsExpired(long start) => inner.IsExpired(start);

    public void Put(TKey key, TValue value, DateTimeOffset windowStart)
    {
        inner.Put(key, value, windowStart);
        Changed((key, windowStart.UtcTicks));
    }

    public bool Delete(TKey key, DateTimeOffset windowStart)
    {
        if (!inner.Delete(key, windowStart))
        {
            return false;
        }

        Changed((key, windowStart.UtcTicks));
        return true;
    }

    public bool TryGet(TKey key, DateTimeOffset windowStart, [MaybeNullWhen(false)] out TValue value) => inner.TryGet(key, windowStart, out value);

    public IEnumerable<KeyValuePair<Windowed<TKey>, TValue>> Fetch(TKey key, DateTimeOffset fromStart, DateTimeOffset toStart) => inner.Fetch(key, fromStart, toStart);

    public IEnumerable<KeyValuePair<Windowed<TKey>, TValue>> FetchAll(DateTimeOffset fromStart, DateTimeOffset toStart) => inner.FetchAll(fromStart, toStart);

    public IEnumerable<KeyValuePair<Windowed<TKey>, TValue>> All() => inner.All();

    bool IWindowSlots<TKey, TValue>.Admit(long start) => _innerSlots!.Admit(start);

    ref TValue? IWindowSlots<TKey, TValue>.GetOrAddSlot(TKey key, long start, out bool existed)
    {
        Changed((key, start));
        return ref _innerSlots!.GetOrAddSlot(key, start, out existed);
    }

    List<long> IWindowSlots<TKey, TValue>.StartsBetween(long from, long to) => _innerSlots!.StartsBetween(from, to);

    Dictionary<TKey, TValue>? IWindowSlots<TKey, TValue>.BucketAt(long start) => _innerSlots!.BucketAt(start);

    protected override bool TryGetChangelogRecord((TKey Key, long Start) entry, out byte[] key, out byte[]? value)
    {
        if (inner.IsExpired(entry.Start))
        {
            key = [];
            value = null;
            return false;
        }

        var keyBytes = keySerde.Serialize(entry.Key, new SerdeContext(SerdeTopic, true)) ?? [];
        key = WindowKeys.Changelog(keyBytes, entry.Start);
        value = inner is IStoredBytes stored
            ? stored.StoredBytes(keyBytes, entry.Start)
            : inner.TryGet(entry.Key, WindowMath.ToTime(entry.Start), out var current)
                ? valueSerde.Serialize(current, new SerdeContext(SerdeTopic, false))
                : null;
        return true;
    }

    protected override (TKey Key, long Start) EntryOf(byte[] changelogKey)
    {
        var (keyBytes, start) = WindowKeys.SplitChangelog(changelogKey);
        return (keySerde.Deserialize(keyBytes, new SerdeContext(SerdeTopic, true)), start);
    }
}
