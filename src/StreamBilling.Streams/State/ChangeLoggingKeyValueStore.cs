using System.Diagnostics.CodeAnalysis;

namespace StreamBilling.Streams;

/// <summary>Change logging around an in-memory or RocksDB key-value store; changelog key = serialized key.</summary>
internal sealed class ChangeLoggingKeyValueStore<TKey, TValue>(
    IRuntimeKeyValueStore<TKey, TValue> inner,
    ISerde<TKey> keySerde,
    ISerde<TValue> valueSerde,
    StoreInitContext context)
    : ChangeLoggingStore<TKey>(inner, context), IKeyValueStore<TKey, TValue>
    where TKey : notnull
{
    public long ApproximateCount => inner.ApproximateCount;

    public bool TryGet(TKey key, [MaybeNullWhen(false)] out TValue value) => inner.TryGet(key, out value);

    public void Put(TKey key, TValue value)
    {
        inner.Put(key, value);
        Changed(key);
    }

    public bool Delete(TKey key)
    {
        if (!inner.Delete(key))
        {
            return false;
        }

        Changed(key);
        return true;
    }

    public IEnumerable<KeyValuePair<TKey, TValue>> Range(TKey fromKey, TKey toKey) => inner.Range(fromKey, toKey);

    public IEnumerable<KeyValuePair<TKey, TValue>> All() => inner.All();

    protected override bool TryGetChangelogRecord(TKey entry, out byte[] key, out byte[]? value)
    {
        key = keySerde.Serialize(entry, new SerdeContext(SerdeTopic, true)) ?? [];
        value = inner is IStoredBytes stored
            ? stored.StoredBytes(key, 0)
            : inner.TryGet(entry, out var current) ? valueSerde.Serialize(current, new SerdeContext(SerdeTopic, false)) : null;
        return true;
    }

    protected override TKey EntryOf(byte[] changelogKey) => keySerde.Deserialize(changelogKey, new SerdeContext(SerdeTopic, true));
}
