namespace StreamBilling.Streams;

/// <summary>Describes a store to create once per task; obtain one from <see cref="Stores"/>.</summary>
public abstract class StoreBuilder
{
    private protected StoreBuilder(string name, bool loggingEnabled, bool persistent)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        LoggingEnabled = loggingEnabled;
        Persistent = persistent;
    }

    /// <summary>Store name, unique in the topology; the changelog topic is <c>&lt;applicationId&gt;-&lt;name&gt;-changelog</c>.</summary>
    public string Name { get; }

    /// <summary>Whether changes are written to a changelog topic.</summary>
    public bool LoggingEnabled { get; }

    /// <summary>True for RocksDB stores.</summary>
    public bool Persistent { get; }

    /// <summary>Kind of store, for descriptions.</summary>
    public abstract StoreKind Kind { get; }

    internal abstract IRuntimeStore Build(StoreInitContext context);
}
