using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace StreamBilling.Streams;

/// <summary>
/// One hash map per window start plus a sorted list of starts: point lookups are two hash probes, a range of
/// starts is a binary search, and expiry drops whole maps.
/// </summary>
internal sealed class InMemoryWindowStore<TKey, TValue> : IRuntimeWindowStore<TKey, TValue>, IWindowSlots<TKey, TValue>
    where TKey : notnull
{
    private readonly Dictionary<long, Dictionary<TKey, TValue>> _buckets = [];
    private readonly List<long> _starts = [];
    private readonly ISerde<TKey> _keySerde;
    private readonly ISerde<TValue> _valueSerde;
    private readonly string _serdeTopic;
    private readonly long _retention;
    private readonly long _size;
    private long _observedStart = long.MinValue;
    private long _lastStart = long.MinValue;
    private Dictionary<TKey, TValue>? _lastBucket;

    public InMemoryWindowStore(string name, TimeSpan retention, TimeSpan windowSize, ISerde<TKey> keySerde, ISerde<TValue> valueSerde, StoreInitContext context)
    {
        Name = name;
        Retention = retention;
        WindowSize = windowSize;
        _retention = retention.Ticks;
        _size = windowSize.Ticks;
        _keySerde = keySerde;
        _valueSerde = valueSerde;
        _serdeTopic = context.SerdeTopic(name);
    }

    public string Name { get; }

    public bool Persistent => false;

    public StoreKind Kind => StoreKind.Window;

    public TimeSpan WindowSize { get; }

    public TimeSpan Retention { get; }

    public IWindowSlots<TKey, TValue> Slots => this;

    public void Put(TKey key, TValue value, DateTimeOffset windowStart)
    {
        var start = windowStart.UtcTicks;
        if (!Admit(start))
        {
            return;
        }

        Bucket(start)[key] = value;
    }

    public ref TValue? GetOrAddSlot(TKey key, long start, out bool existed) =>
        ref CollectionsMarshal.GetValueRefOrAddDefault(Bucket(start), key, out existed);

    public Dictionary<TKey, TValue>? BucketAt(long start) => _buckets.GetValueOrDefault(start);

    public List<long> StartsBetween(long from, long to)
    {
        var result = new List<long>();
        for (var i = LowerBound(from); i < _starts.Count && _starts[i] <= to; i++)
        {
            result.Add(_starts[i]);
        }

        return result;
    }

    public bool IsExpired(long start) => _observedStart != long.MinValue && start <= _observedStart - _retention;

    public bool Admit(long start)
    {
        if (IsExpired(start))
        {
            return false;
        }

        if (start > _observedStart)
        {
            _observedStart = start;
            Expire();
        }

        return true;
    }

    public bool Delete(TKey key, DateTimeOffset windowStart)
    {
        var start = windowStart.UtcTicks;
        return _buckets.TryGetValue(start, out var bucket) && bucket.Remove(key);
    }

    public bool TryGet(TKey key, DateTimeOffset windowStart, [MaybeNullWhen(false)] out TValue value)
    {
        if (_buckets.TryGetValue(windowStart.UtcTicks, out var bucket))
        {
            return bucket.TryGetValue(key, out value);
        }

        value = default;
        return false;
    }

    public IEnumerable<KeyValuePair<Windowed<TKey>, TValue>> Fetch(TKey key, DateTimeOffset fromStart, DateTimeOffset toStart)
    {
        var toTicks = toStart.UtcTicks;
        for (var i = LowerBound(fromStart.UtcTicks); i < _starts.Count && _starts[i] <= toTicks; i++)
        {
            var start = _starts[i];
            if (_buckets[start].TryGetValue(key, out var value))
            {
                yield return new KeyValuePair<Windowed<TKey>, TValue>(Window(key, start), value);
            }
        }
    }

    public IEnumerable<KeyValuePair<Windowed<TKey>, TValue>> FetchAll(DateTimeOffset fromStart, DateTimeOffset toStart)
    {
        var toTicks = toStart.UtcTicks;
        for (var i = LowerBound(fromStart.UtcTicks); i < _starts.Count && _starts[i] <= toTicks; i++)
        {
            var start = _starts[i];
            foreach (var entry in _buckets[start])
            {
                yield return new KeyValuePair<Windowed<TKey>, TValue>(Window(entry.Key, start), entry.Value);
            }
        }
    }

    public IEnumerable<KeyValuePair<Windowed<TKey>, TValue>> All() => FetchAll(DateTimeOffset.MinValue, DateTimeOffset.MaxValue);

    /// <summary>Nothing to write: the change-logging layer logs, and memory has no buffers.</summary>
    public void Flush()
    {
    }

    public void Restore(IReadOnlyList<ChangelogRecord> batch)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            var (keyBytes, start) = WindowKeys.SplitChangelog(batch[i].Key);
            var key = _keySerde.Deserialize(keyBytes, new SerdeContext(_serdeTopic, true));
            if (batch[i].Value is null)
            {
                if (_buckets.TryGetValue(start, out var bucket))
                {
                    bucket.Remove(key);
                }
            }
            else if (Admit(start))
            {
                Bucket(start)[key] = _valueSerde.Deserialize(batch[i].Value, new SerdeContext(_serdeTopic, false));
            }
        }
    }

    public void Dispose()
    {
        _buckets.Clear();
        _starts.Clear();
        _lastBucket = null;
    }

    private Windowed<TKey> Window(TKey key, long start) =>
        new(key, WindowMath.ToTime(start), WindowMath.ToTime(WindowMath.End(start, _size)));

    private Dictionary<TKey, TValue> Bucket(long start)
    {
        if (start == _lastStart && _lastBucket is not null)
        {
            return _lastBucket;
        }

        if (!_buckets.TryGetValue(start, out var bucket))
        {
            bucket = [];
            _buckets.Add(start, bucket);
            if (_starts.Count == 0 || start > _starts[^1])
            {
                _starts.Add(start);
            }
            else
            {
                _starts.Insert(LowerBound(start), start);
            }
        }

        _lastStart = start;
        _lastBucket = bucket;
        return bucket;
    }

    private void Expire()
    {
        var cutoff = _observedStart - _retention;
        var expired = 0;
        while (expired < _starts.Count && _starts[expired] <= cutoff)
        {
            _buckets.Remove(_starts[expired]);
            expired++;
        }

        if (expired > 0)
        {
            _starts.RemoveRange(0, expired);
            _lastBucket = null;
            _lastStart = long.MinValue;
        }
    }

    private int LowerBound(long start)
    {
        int lo = 0, hi = _starts.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_starts[mid] < start)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
