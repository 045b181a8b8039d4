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
        return AddAggregate(initializer, aggregator, merger: null, options);
    }

    /// <summary>
    /// Like <see cref="Aggregate{TAggregate}(Func{TAggregate}, Func{TKey, TValue, TAggregate, TAggregate}, WindowedAggregateOptions{TAggregate}?)"/>,
    /// with a <paramref name="merger"/> that combines the aggregates of two consecutive spans (e.g. a sum adds them). For
    /// hopping windows the store then keeps one aggregate per non-overlapping slice (gcd of size and advance), so a record
    /// costs one store update and one changelog entry however many windows overlap; windows are merged from slices when
    /// emitted. Results and ids are the same as without a merger.
    /// </summary>
    public KStream<Windowed<TKey>, TAggregate> Aggregate<TAggregate>(Func<TAggregate> initializer, Func<TKey, TValue, TAggregate, TAggregate> aggregator, Func<TKey, TAggregate, TAggregate, TAggregate> merger, WindowedAggregateOptions<TAggregate>? options = null)
    {
        ArgumentNullException.ThrowIfNull(initializer);
        ArgumentNullException.ThrowIfNull(aggregator);
        ArgumentNullException.ThrowIfNull(merger);
        return AddAggregate(initializer, aggregator, merger, options);
    }

    /// <summary>Counts records per window and key.</summary>
    public KStream<Windowed<TKey>, long> Count(WindowedAggregateOptions<long>? options = null) =>
        Aggregate(static () => 0L, static (_, _, count) => count + 1, static (_, a, b) => a + b, options);

    private KStream<Windowed<TKey>, TAggregate> AddAggregate<TAggregate>(Func<TAggregate> initializer, Func<TKey, TValue, TAggregate, TAggregate> aggregator, Func<TKey, TAggregate, TAggregate, TAggregate>? merger, WindowedAggregateOptions<TAggregate>? options)
    {
        options ??= new WindowedAggregateOptions<TAggregate>();
        var storeName = options.StoreName ?? _builder.NextName("aggregate-store");
        var minimum = _windows.Size + _windows.Grace;
        var retention = options.Retention ?? minimum;
        if (retention < minimum)
        {
            throw new ArgumentOutOfRangeException(nameof(options), retention, $"Retention must be at least window size + grace ({minimum}).");
        }

        // Slices only pay off when windows overlap.
        var sliced = merger is not null && _windows.Advance < _windows.Size;
        var storedSpan = sliced ? TimeSpan.FromTicks(SlicedWindowAggregateProcessor<TKey, TValue, TAggregate>.SliceOf(_windows)) : _windows.Size;
        var aggregateSerde = options.AggregateSerde ?? Serdes.Default<TAggregate>();
        _builder.AddStateStore(options.Persistent
            ? Stores.RocksDbWindow(storeName, retention, storedSpan, _keySerde, aggregateSerde, options.LoggingEnabled)
            : Stores.InMemoryWindow(storeName, retention, storedSpan, _keySerde, aggregateSerde, options.LoggingEnabled));
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
        Func<IProcessor<TKey, TValue>> supplier = sliced
            ? () => new SlicedWindowAggregateProcessor<TKey, TValue, TAggregate>(windows, storeName, markerStore, emit, initializer, aggregator, merger!, keySerde, valueSerde)
            : () => new WindowedAggregateProcessor<TKey, TValue, TAggregate>(windows, storeName, markerStore, emit, initializer, aggregator, keySerde, valueSerde);
        var processorName = _builder.AddNode(new ProcessorNodeDefinition<TKey, TValue>(_builder.NextName("window-aggregate"), supplier), _nodeName);
        _builder.ConnectStores(processorName, markerStore is null ? [storeName] : [storeName, markerStore]);
        return new KStream<Windowed<TKey>, TAggregate>(_builder, processorName, Serdes.Windowed(_keySerde), aggregateSerde, keyChanged: true);
    }
}
