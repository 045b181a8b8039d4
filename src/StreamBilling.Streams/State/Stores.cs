namespace StreamBilling.Streams;

/// <summary>Factory of store builders. Serdes default to <see cref="Serdes.Default{T}"/>; logging is on unless disabled.</summary>
public static class Stores
{
    /// <summary>An in-memory key-value store (hash map, sorted view built on demand for ranges).</summary>
    public static StoreBuilder InMemoryKeyValue<TKey, TValue>(string name, ISerde<TKey>? keySerde = null, ISerde<TValue>? valueSerde = null, bool loggingEnabled = true)
        where TKey : notnull =>
        new KeyValueStoreBuilder<TKey, TValue>(name, keySerde ?? Serdes.Default<TKey>(), valueSerde ?? Serdes.Default<TValue>(), loggingEnabled, persistent: false);

    /// <summary>A RocksDB key-value store under the task's state directory.</summary>
    public static StoreBuilder RocksDbKeyValue<TKey, TValue>(string name, ISerde<TKey>? keySerde = null, ISerde<TValue>? valueSerde = null, bool loggingEnabled = true)
        where TKey : notnull =>
        new KeyValueStoreBuilder<TKey, TValue>(name, keySerde ?? Serdes.Default<TKey>(), valueSerde ?? Serdes.Default<TValue>(), loggingEnabled, persistent: true);

    /// <summary>An in-memory window store (one hash map per window start).</summary>
    public static StoreBuilder InMemoryWindow<TKey, TValue>(string name, TimeSpan retention, TimeSpan windowSize, ISerde<TKey>? keySerde = null, ISerde<TValue>? valueSerde = null, bool loggingEnabled = true)
        where TKey : notnull =>
        new WindowStoreBuilder<TKey, TValue>(name, retention, windowSize, keySerde ?? Serdes.Default<TKey>(), valueSerde ?? Serdes.Default<TValue>(), loggingEnabled, persistent: false);

    /// <summary>A RocksDB window store (time-ordered and key-ordered layouts in one database).</summary>
    public static StoreBuilder RocksDbWindow<TKey, TValue>(string name, TimeSpan retention, TimeSpan windowSize, ISerde<TKey>? keySerde = null, ISerde<TValue>? valueSerde = null, bool loggingEnabled = true)
        where TKey : notnull =>
        new WindowStoreBuilder<TKey, TValue>(name, retention, windowSize, keySerde ?? Serdes.Default<TKey>(), valueSerde ?? Serdes.Default<TValue>(), loggingEnabled, persistent: true);
}
