using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using RocksDbSharp;

namespace StreamBilling.Streams;

/// <summary>Key-value store on RocksDB; keys are ordered by their serialized bytes.</summary>
internal sealed class RocksDbKeyValueStore<TKey, TValue> : IRuntimeKeyValueStore<TKey, TValue>, IStoredBytes
    where TKey : notnull
{
    private readonly RocksDb _db;
    private readonly ISerde<TKey> _keySerde;
    private readonly ISerde<TValue> _valueSerde;
    private readonly string _serdeTopic;

    public RocksDbKeyValueStore(string name, ISerde<TKey> keySerde, ISerde<TValue> valueSerde, StoreInitContext context)
    {
        Name = name;
        _keySerde = keySerde;
        _valueSerde = valueSerde;
        _serdeTopic = context.SerdeTopic(name);
        _db = RocksDbState.Open(context.StorePath(name));
    }

    public string Name { get; }

    public bool Persistent => true;

    public StoreKind Kind => StoreKind.KeyValue;

    public long ApproximateCount =>
        long.TryParse(_db.GetProperty("rocksdb.estimate-num-keys"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) ? count : 0;

    public bool TryGet(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        var bytes = _db.Get(KeyBytes(key));
        if (bytes is null)
        {
            value = default;
            return false;
        }

        value = _valueSerde.Deserialize(bytes, new SerdeContext(_serdeTopic, false));
        return true;
    }

    public byte[]? StoredBytes(byte[] keyBytes, long start) => _db.Get(keyBytes);

    public void Put(TKey key, TValue value)
    {
        var keyBytes = KeyBytes(key);
        var valueBytes = _valueSerde.Serialize(value, new SerdeContext(_serdeTopic, false));
        if (valueBytes is null)
        {
            throw new InvalidOperationException($"Store '{Name}': a null value cannot be stored; use Delete.");
        }

        _db.Put(keyBytes, valueBytes, null, RocksDbState.Writes);
    }

    public bool Delete(TKey key)
    {
        var keyBytes = KeyBytes(key);
        if (_db.Get(keyBytes) is null)
        {
            return false;
        }

        _db.Remove(keyBytes, null, RocksDbState.Writes);
        return true;
    }

    public IEnumerable<KeyValuePair<TKey, TValue>> Range(TKey fromKey, TKey toKey) => Scan(KeyBytes(fromKey), KeyBytes(toKey));

    public IEnumerable<KeyValuePair<TKey, TValue>> All() => Scan(null, null);

    /// <summary>Nothing to write: the change-logging layer logs, and every write already went to RocksDB.</summary>
    public void Flush()
    {
    }

    public void Restore(IReadOnlyList<ChangelogRecord> batch)
    {
        using var write = new WriteBatch();
        for (var i = 0; i < batch.Count; i++)
        {
            if (batch[i].Value is { } value)
            {
                write.Put(batch[i].Key, value, null);
            }
            else
            {
                write.Delete(batch[i].Key);
            }
        }

        _db.Write(write, RocksDbState.Writes);
    }

    public void Dispose() => RocksDbState.FlushAndClose(_db);

    private byte[] KeyBytes(TKey key) => _keySerde.Serialize(key, new SerdeContext(_serdeTopic, true))
        ?? throw new InvalidOperationException($"Store '{Name}': key serialized to null.");

    private IEnumerable<KeyValuePair<TKey, TValue>> Scan(byte[]? from, byte[]? to)
    {
        using var iterator = _db.NewIterator();
        if (from is null)
        {
            iterator.SeekToFirst();
        }
        else
        {
            iterator.Seek(from);
        }

        for (; iterator.Valid(); iterator.Next())
        {
            var key = iterator.Key();
            if (to is not null && key.AsSpan().SequenceCompareTo(to) > 0)
            {
                yield break;
            }

            yield return new KeyValuePair<TKey, TValue>(
                _keySerde.Deserialize(key, new SerdeContext(_serdeTopic, true)),
                _valueSerde.Deserialize(iterator.Value(), new SerdeContext(_serdeTopic, false)));
        }
    }
}
