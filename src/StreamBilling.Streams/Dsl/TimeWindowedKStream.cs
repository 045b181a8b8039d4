using System.Diagnostics.CodeAnalysis;

namespace StreamBilling.Streams;

/// <summary>A grouped stream with event-time windows; aggregate it to get one result stream per window and key.</summary>
/// <typeparam name="TKey">Key type.</typeparam>
/// <typeparam name="TValue">Value type.</typeparam>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "Kafka Streams names (KStream) that the topology code is written against; not a System.IO.Stream.")]
public sealed class TimeWindowedKStream<TKey, TValue>
    where TKey : notnull
{
    private readonly StreamsBuilder _builder;
    private readonly string _nodeName;
    private readonly ISerde<TKey> _keySerde;
    private readonly ISerde<TValue> _valueSerde;
    private readonly TimeWindows _windows;

    internal TimeWindowedKStream(StreamsBuilder builder, string nodeName, ISerde<TKey> keySerde, ISerde<TValue> valueSerde, TimeWindows windows)
    {
        _builder = builder;
        _nodeName = nodeName;
        _keySerde = keySerde;
        _valueSerde = valueSerde;
        _windows = windows;
    }

    /// <summary>
    /// Folds each window's records into an aggregate and emits <c>(Windowed key, aggregate)</c> per <see cref="EmitStrategy"/>.
    /// Records for closed windows (stream time ≥ end + grace) and null keys go to the late-records topic.
    /// Results carry an id derived from (application, store, key, window start): downstream sinks upsert by it.
    /// </summary>
    public KStream<Windowed<TKey>, TAggregate> Aggregate<TAggregate>(Func<TAggregate> initializer, Func<TKey, TValue, TAggregate, TAggregate> aggregator, WindowedAggregateOptions<TAggregate>? options = null)
    {
        ArgumentNullException.ThrowIfNull(initializer);
        ArgumentNullException.ThrowIfNull(aggregator);
        options ??= new WindowedAggregateOptions<TAggregate>();
        var storeName = options.StoreName ?? _builder.NextName("aggregate-store");
        var minimum = _windows.Size + _windows.Grace;
        var retention = options.Retention ?? minimum;
        if (retention < minimum)
        {
            throw new ArgumentOutOfRangeException(nameof(options), retention, $"Retention must be at least window size + grace ({minimum}).");
        }

        var aggregateSerde = options.AggregateSerde ?? Serdes.Default<TAggregate>();
        _builder.AddStateStore(options.Persistent
            ? Stores.RocksDbWindow(storeName, retention, _windows.Size, _keySerde, aggregateSerde, options.LoggingEnabled)
            : Stores.InMemoryWindow(storeName, retention, _windows.Size, _keySerde, aggregateSerde, options.LoggingEnabled));
        string? markerStore = null;
        if (options.EmitStrategy == EmitStrategy.OnWindowClose)
        {
            // Remembers the last emitted window start so a restored task neither re-emits nor reopens closed windows.
            markerStore = $"{storeName}-emitted";
            _builder.AddStateStore(options.Persistent
                ? Stores.RocksDbKeyValue<string, long>(markerStore, loggingEnabled: options.LoggingEnabled)
                : Stores.InMemoryKeyValue<string, long>(markerStore, loggingEnabled: options.LoggingEnabled));
        }

        var windows = _windows;
        var keySerde = _keySerde;
        var valueSerde = _valueSerde;
        var emit = options.EmitStrategy;
        var processorName = _builder.AddNode(
            new ProcessorNodeDefinition<TKey, TValue>(
                _builder.NextName("window-aggregate"),
                () => new WindowedAggregateProcessor<TKey, TValue, TAggregate>(windows, storeName, markerStore, emit, initializer, aggregator, keySerde, valueSerde)),
            _nodeName);
        _builder.ConnectStores(processorName, markerStore is null ? [storeName] : [storeName, markerStore]);
        return new KStream<Windowed<TKey>, TAggregate>(_builder, processorName, Serdes.Windowed(_keySerde), aggregateSerde, keyChanged: true);
    }

    /// <summary>Counts records per window and key.</summary>
    public KStream<Windowed<TKey>, long> Count(WindowedAggregateOptions<long>? options = null) =>
        Aggregate(static () => 0L, static (_, _, count) => count + 1, options);
}
