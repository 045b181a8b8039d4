using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using RocksDbSharp;

namespace StreamBilling.Streams;

/// <summary>
/// Window store on RocksDB with two layouts in one database: <c>'T' start key → value</c> (time order, for
/// FetchAll and expiry) and <c>'K' key start → empty</c> (key order, for Fetch). Starts are big-endian UTC ticks,
/// which are non-negative, so byte order is time order.
/// </summary>
internal sealed class RocksDbWindowStore<TKey, TValue> : IRuntimeWindowStore<TKey, TValue>, IStoredBytes
    where TKey : notnull
{
    private const byte TimeLayout = (byte)'T';
    private const byte KeyLayout = (byte)'K';
    private readonly RocksDb _db;
    private readonly ISerde<TKey> _keySerde;
    private readonly ISerde<TValue> _valueSerde;
    private readonly string _serdeTopic;
    private readonly long _retention;
    private readonly long _size;
    private long _observedStart = long.MinValue;

    // Every time-layout key below this start is deleted already. Expiry seeks here instead of to the layout's first
    // key: a RocksDB iterator steps over every tombstone it meets until compaction drops them, so seeking from the
    // bottom cost each expiry all the deletions before it (a third of the CDN caps' CPU on RocksDB stores).
    private long _expiredBelow = long.MinValue;

    public RocksDbWindowStore(string name, TimeSpan retention, TimeSpan windowSize, ISerde<TKey> keySerde, ISerde<TValue> valueSerde, StoreInitContext context)
    {
        Name = name;
        Retention = retention;
        WindowSize = windowSize;
        _retention = retention.Ticks;
        _size = windowSize.Ticks;
        _keySerde = keySerde;
        _valueSerde = valueSerde;
        _serdeTopic = context.SerdeTopic(name);
        _db = RocksDbState.Open(context.StorePath(name));
        _observedStart = LatestStoredStart();
    }

    public string Name { get; }

    public bool Persistent => true;

    public StoreKind Kind => StoreKind.Window;

    public TimeSpan WindowSize { get; }

    public TimeSpan Retention { get; }

    public IWindowSlots<TKey, TValue>? Slots => null;

    public byte[]? StoredBytes(byte[] keyBytes, long start) => _db.Get(TimeKey(start, keyBytes));

    public void Put(TKey key, TValue value, DateTimeOffset windowStart)
    {
        var valueBytes = _valueSerde.Serialize(value, new SerdeContext(_serdeTopic, false))
            ?? throw new InvalidOperationException($"Store '{Name}': a null value cannot be stored; use Delete.");
        var keyBytes = KeyBytes(key);
        PutBytes(keyBytes, windowStart.UtcTicks, valueBytes);
    }

    public bool Delete(TKey key, DateTimeOffset windowStart)
    {
        var keyBytes = KeyBytes(key);
        var start = windowStart.UtcTicks;
        var timeKey = TimeKey(start, keyBytes);
        if (_db.Get(timeKey) is null)
        {
            return false;
        }

        using (var write = new WriteBatch())
        {
            write.Delete(timeKey);
            write.Delete(IndexKey(keyBytes, start));
            _db.Write(write, RocksDbState.Writes);
        }

        return true;
    }

    public bool TryGet(TKey key, DateTimeOffset windowStart, [MaybeNullWhen(false)] out TValue value)
    {
        var bytes = _db.Get(TimeKey(windowStart.UtcTicks, KeyBytes(key)));
        if (bytes is null)
        {
            value = default;
            return false;
        }

        value = _valueSerde.Deserialize(bytes, new SerdeContext(_serdeTopic, false));
        return true;
    }

    public IEnumerable<KeyValuePair<Windowed<TKey>, TValue>> Fetch(TKey key, DateTimeOffset fromStart, DateTimeOffset toStart)
    {
        var keyBytes = KeyBytes(key);
        var upper = IndexKey(keyBytes, toStart.UtcTicks);
        var entryLength = 1 + keyBytes.Length + 8;
        using var iterator = _db.NewIterator();
        iterator.Seek(IndexKey(keyBytes, Math.Max(0, fromStart.UtcTicks)));
        for (; iterator.Valid(); iterator.Next())
        {
            var indexKey = iterator.Key();
            if (indexKey.AsSpan().SequenceCompareTo(upper) > 0)
            {
                yield break;
            }

            // Longer keys that start with this key sort in between; the exact length singles ours out.
            if (indexKey.Length != entryLength)
            {
                continue;
            }

            var start = BinaryPrimitives.ReadInt64BigEndian(indexKey.AsSpan(1 + keyBytes.Length));
            if (IsExpired(start))
            {
                continue;
            }

            var bytes = _db.Get(TimeKey(start, keyBytes));
            if (bytes is not null)
            {
                yield return new KeyValuePair<Windowed<TKey>, TValue>(Window(key, start), _valueSerde.Deserialize(bytes, new SerdeContext(_serdeTopic, false)));
            }
        }
    }

    public IEnumerable<KeyValuePair<Windowed<TKey>, TValue>> FetchAll(DateTimeOffset fromStart, DateTimeOffset toStart)
    {
        var toTicks = toStart.UtcTicks;
        using var iterator = _db.NewIterator();
        iterator.Seek(TimeKey(Math.Max(0, fromStart.UtcTicks), []));
        for (; iterator.Valid(); iterator.Next())
        {
            var timeKey = iterator.Key();
            if (timeKey[0] != TimeLayout)
            {
                yield break;
            }

            var start = BinaryPrimitives.ReadInt64BigEndian(timeKey.AsSpan(1));
            if (start > toTicks)
            {
                yield break;
            }

            if (IsExpired(start))
            {
                continue;
            }

            var key = _keySerde.Deserialize(timeKey[9..], new SerdeContext(_serdeTopic, true));
            yield return new KeyValuePair<Windowed<TKey>, TValue>(Window(key, start), _valueSerde.Deserialize(iterator.Value(), new SerdeContext(_serdeTopic, false)));
        }
    }

    public IEnumerable<KeyValuePair<Windowed<TKey>, TValue>> All() => FetchAll(DateTimeOffset.MinValue, DateTimeOffset.MaxValue);

    /// <summary>Nothing to write: the change-logging layer logs, and every write already went to RocksDB.</summary>
    public void Flush()
    {
    }

    public void Restore(IReadOnlyList<ChangelogRecord> batch)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            var (keyBytes, start) = WindowKeys.SplitChangelog(batch[i].Key);
            if (batch[i].Value is { } value)
            {
                PutBytes(keyBytes, start, value);
            }
            else
            {
                using var write = new WriteBatch();
                write.Delete(TimeKey(start, keyBytes));
                write.Delete(IndexKey(keyBytes, start));
                _db.Write(write, RocksDbState.Writes);
            }
        }
    }

    public void Dispose() => RocksDbState.FlushAndClose(_db);

    private void PutBytes(byte[] keyBytes, long start, byte[] valueBytes)
    {
        if (IsExpired(start))
        {
            return;
        }

        using (var write = new WriteBatch())
        {
            write.Put(TimeKey(start, keyBytes), valueBytes, null);
            write.Put(IndexKey(keyBytes, start), Array.Empty<byte>(), null);
            _db.Write(write, RocksDbState.Writes);
        }

        if (start > _observedStart)
        {
            _observedStart = start;
            Expire();
        }
    }

    public bool IsExpired(long start) => _observedStart != long.MinValue && start <= _observedStart - _retention;

    private void Expire()
    {
        var cutoff = _observedStart - _retention;
        if (cutoff < _expiredBelow)
        {
            return;
        }

        using var write = new WriteBatch();
        var any = false;
        using (var iterator = _db.NewIterator())
        {
            iterator.Seek(_expiredBelow <= 0 ? [TimeLayout] : TimeKey(_expiredBelow, []));
            for (; iterator.Valid(); iterator.Next())
            {
                var timeKey = iterator.Key();
                if (timeKey[0] != TimeLayout)
                {
                    break;
                }

                var start = BinaryPrimitives.ReadInt64BigEndian(timeKey.AsSpan(1));
                if (start > cutoff)
                {
                    break;
                }

                write.Delete(timeKey);
                write.Delete(IndexKey(timeKey[9..], start));
                any = true;
            }
        }

        if (any)
        {
            _db.Write(write, RocksDbState.Writes);
        }

        _expiredBelow = cutoff + 1;
    }

    private long LatestStoredStart()
    {
        using var iterator = _db.NewIterator();
        // 'T' + 0xFF.. sorts after every time-layout key; step back to the last one.
        iterator.SeekForPrev([TimeLayout, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]);
        return iterator.Valid() && iterator.Key()[0] == TimeLayout
            ? BinaryPrimitives.ReadInt64BigEndian(iterator.Key().AsSpan(1))
            : long.MinValue;
    }

    private byte[] KeyBytes(TKey key) => _keySerde.Serialize(key, new SerdeContext(_serdeTopic, true))
        ?? throw new InvalidOperationException($"Store '{Name}': key serialized to null.");

    private Windowed<TKey> Window(TKey key, long start) =>
        new(key, WindowMath.ToTime(start), WindowMath.ToTime(WindowMath.End(start, _size)));

    private static byte[] TimeKey(long start, byte[] key)
    {
        var bytes = new byte[9 + key.Length];
        bytes[0] = TimeLayout;
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(1), start);
        key.CopyTo(bytes, 9);
        return bytes;
    }

    private static byte[] IndexKey(byte[] key, long start)
    {
        var bytes = new byte[1 + key.Length + 8];
        bytes[0] = KeyLayout;
        key.CopyTo(bytes, 1);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(1 + key.Length), start);
        return bytes;
    }
}
