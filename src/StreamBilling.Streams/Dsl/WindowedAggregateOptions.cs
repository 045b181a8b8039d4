namespace StreamBilling.Streams;

/// <summary>How a windowed aggregation stores and emits its results.</summary>
/// <typeparam name="TAggregate">Aggregate type.</typeparam>
public sealed class WindowedAggregateOptions<TAggregate>
{
    /// <summary>Window store name (stable: it is part of result ids and the changelog topic). Generated when null.</summary>
    public string? StoreName { get; init; }

    /// <summary>Serde of the aggregate for changelog and RocksDB; <see cref="Serdes.Default{T}"/> when null.</summary>
    public ISerde<TAggregate>? AggregateSerde { get; init; }

    /// <summary>Emit on every update (Kafka's default) or once when the window closes.</summary>
    public EmitStrategy EmitStrategy { get; init; } = EmitStrategy.OnUpdate;

    /// <summary>Store retention; at least size + grace (the default).</summary>
    public TimeSpan? Retention { get; init; }

    /// <summary>RocksDB instead of memory.</summary>
    public bool Persistent { get; init; }

    /// <summary>Whether the store is changelogged.</summary>
    public bool LoggingEnabled { get; init; } = true;
}
