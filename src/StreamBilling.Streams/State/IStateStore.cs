namespace StreamBilling.Streams;

/// <summary>A named, task-local state store, logged to a changelog topic unless logging is disabled.</summary>
public interface IStateStore
{
    /// <summary>Store name, unique in the topology.</summary>
    string Name { get; }

    /// <summary>True when the store keeps its data on local disk (RocksDB).</summary>
    bool Persistent { get; }

    /// <summary>Writes pending changelog records (one per changed key, latest value) and flushes disk buffers.</summary>
    void Flush();
}
