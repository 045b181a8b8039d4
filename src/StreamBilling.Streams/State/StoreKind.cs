namespace StreamBilling.Streams;

/// <summary>Shape of a state store.</summary>
public enum StoreKind
{
    /// <summary>An <see cref="IKeyValueStore{TKey, TValue}"/>.</summary>
    KeyValue,

    /// <summary>An <see cref="IWindowStore{TKey, TValue}"/>.</summary>
    Window,
}
