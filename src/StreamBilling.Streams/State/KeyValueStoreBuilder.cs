namespace StreamBilling.Streams;

internal sealed class KeyValueStoreBuilder<TKey, TValue>(string name, ISerde<TKey> keySerde, ISerde<TValue> valueSerde, bool loggingEnabled, bool persistent)
    : StoreBuilder(name, loggingEnabled, persistent)
    where TKey : notnull
{
    public override StoreKind Kind => StoreKind.KeyValue;

    internal override IRuntimeStore Build(StoreInitContext context)
    {
        IRuntimeKeyValueStore<TKey, TValue> store = Persistent
            ? new RocksDbKeyValueStore<TKey, TValue>(Name, keySerde, valueSerde, context)
            : new InMemoryKeyValueStore<TKey, TValue>(Name, keySerde, valueSerde, context);
        return context.Logs ? new ChangeLoggingKeyValueStore<TKey, TValue>(store, keySerde, valueSerde, context) : store;
    }
}
