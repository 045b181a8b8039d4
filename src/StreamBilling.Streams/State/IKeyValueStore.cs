using System.Diagnostics.CodeAnalysis;

namespace StreamBilling.Streams;

/// <summary>A key-value state store.</summary>
/// <typeparam name="TKey">Key type.</typeparam>
/// <typeparam name="TValue">Value type.</typeparam>
public interface IKeyValueStore<TKey, TValue> : IStateStore
{
    /// <summary>Looks <paramref name="key"/> up.</summary>
    bool TryGet(TKey key, [MaybeNullWhen(false)] out TValue value);

    /// <summary>Inserts or replaces the value of <paramref name="key"/>.</summary>
    void Put(TKey key, TValue value);

    /// <summary>Removes <paramref name="key"/>; returns whether it existed.</summary>
    bool Delete(TKey key);

    /// <summary>
    /// Entries with <paramref name="fromKey"/> ≤ key ≤ <paramref name="toKey"/> in key order (the key comparer in memory,
    /// serialized byte order in RocksDB; the same for strings and non-negative integers). Do not modify the store while enumerating.
    /// </summary>
    IEnumerable<KeyValuePair<TKey, TValue>> Range(TKey fromKey, TKey toKey);

    /// <summary>All entries in key order. Do not modify the store while enumerating.</summary>
    IEnumerable<KeyValuePair<TKey, TValue>> All();

    /// <summary>Approximate number of entries (exact for the in-memory store).</summary>
    long ApproximateCount { get; }
}
