using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace StreamBilling.Streams;

/// <summary>
/// Hash map store. Range scans use an ordered index of the keys, built by the first scan and from then on kept in step
/// with every added and removed key (O(log n) each), so a store that is scanned while it grows never re-sorts all keys.
/// </summary>
internal sealed class InMemoryKeyValueStore<TKey, TValue> : IRuntimeKeyValueStore<TKey, TValue>
    where TKey : notnull
{
    private readonly Dictionary<TKey, TValue> _map = [];
    private readonly IComparer<TKey> _order;
    private readonly ISerde<TKey> _keySerde;
    private readonly ISerde<TValue> _valueSerde;
    private readonly string _serdeTopic;
    private SortedSet<TKey>? _index;

    public InMemoryKeyValueStore(string name, ISerde<TKey> keySerde, ISerde<TValue> valueSerde, StoreInitContext context)
    {
        Name = name;
        _keySerde = keySerde;
        _valueSerde = valueSerde;
        _serdeTopic = context.SerdeTopic(name);
        _order = typeof(TKey) == typeof(string) ? (IComparer<TKey>)(object)StringComparer.Ordinal : Comparer<TKey>.Default;
    }

    public string Name { get; }

    public bool Persistent => false;

    public StoreKind Kind => StoreKind.KeyValue;

    public long ApproximateCount => _map.Count;

    public bool TryGet(TKey key, [MaybeNullWhen(false)] out TValue value) => _map.TryGetValue(key, out value);

    public void Put(TKey key, TValue value)
    {
        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_map, key, out var existed);
        slot = value;
        if (!existed)
        {
            _index?.Add(key);
        }
    }

    public bool Delete(TKey key)
    {
        if (!_map.Remove(key))
        {
            return false;
        }

        _index?.Remove(key);
        return true;
    }

    public IEnumerable<KeyValuePair<TKey, TValue>> Range(TKey fromKey, TKey toKey) =>
        _order.Compare(fromKey, toKey) > 0 ? [] : Snapshot(Index().GetViewBetween(fromKey, toKey));

    public IEnumerable<KeyValuePair<TKey, TValue>> All() => Snapshot(Index());

    /// <summary>Nothing to write: the change-logging layer logs, and memory has no buffers.</summary>
    public void Flush()
    {
    }

    public void Restore(IReadOnlyList<ChangelogRecord> batch)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            var key = _keySerde.Deserialize(batch[i].Key, new SerdeContext(_serdeTopic, true));
            if (batch[i].Value is null)
            {
                _map.Remove(key);
            }
            else
            {
                _map[key] = _valueSerde.Deserialize(batch[i].Value, new SerdeContext(_serdeTopic, false));
            }
        }

        _index = null;
    }

    public void Dispose() => _map.Clear();

    private SortedSet<TKey> Index() => _index ??= new SortedSet<TKey>(_map.Keys, _order);

    /// <summary>The keys are copied first, so callers may change the store while they enumerate.</summary>
    private IEnumerable<KeyValuePair<TKey, TValue>> Snapshot(SortedSet<TKey> keys)
    {
        foreach (var key in keys.ToArray())
        {
            if (_map.TryGetValue(key, out var value))
            {
                yield return new KeyValuePair<TKey, TValue>(key, value);
            }
        }
    }
}
