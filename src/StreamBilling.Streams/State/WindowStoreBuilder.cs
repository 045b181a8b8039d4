namespace StreamBilling.Streams;

internal sealed class WindowStoreBuilder<TKey, TValue> : StoreBuilder
    where TKey : notnull
{
    private readonly ISerde<TKey> _keySerde;
    private readonly ISerde<TValue> _valueSerde;

    public WindowStoreBuilder(string name, TimeSpan retention, TimeSpan windowSize, ISerde<TKey> keySerde, ISerde<TValue> valueSerde, bool loggingEnabled, bool persistent)
        : base(name, loggingEnabled, persistent)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(windowSize, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(retention, windowSize);
        Retention = retention;
        WindowSize = windowSize;
        _keySerde = keySerde;
        _valueSerde = valueSerde;
    }

    public TimeSpan Retention { get; }

    public TimeSpan WindowSize { get; }

    public override StoreKind Kind => StoreKind.Window;

    internal override IRuntimeStore Build(StoreInitContext context)
    {
        IRuntimeWindowStore<TKey, TValue> store = Persistent
            ? new RocksDbWindowStore<TKey, TValue>(Name, Retention, WindowSize, _keySerde, _valueSerde, context)
            : new InMemoryWindowStore<TKey, TValue>(Name, Retention, WindowSize, _keySerde, _valueSerde, context);
        return context.Logs ? new ChangeLoggingWindowStore<TKey, TValue>(store, _keySerde, _valueSerde, context) : store;
    }
}
