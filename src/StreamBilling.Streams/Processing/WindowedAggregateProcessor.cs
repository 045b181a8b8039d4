namespace StreamBilling.Streams;

/// <summary>
/// The DSL's windowed aggregation with one stored aggregate per (key, window): each record updates every open window
/// containing it; emit-final ranges over the store when stream time closes windows.
/// </summary>
internal sealed class WindowedAggregateProcessor<TKey, TValue, TAggregate>(
    TimeWindows windows,
    string storeName,
    string? markerStoreName,
    EmitStrategy emit,
    Func<TAggregate> initializer,
    Func<TKey, TValue, TAggregate, TAggregate> aggregator,
    ISerde<TKey> keySerde,
    ISerde<TValue> valueSerde)
    : WindowAggregateProcessorBase<TKey, TValue, TAggregate>(windows, storeName, markerStoreName, keySerde, valueSerde)
    where TKey : notnull
{
    protected override void Aggregate(Record<TKey, TValue> record, long firstOpen, long last)
    {
        for (var start = firstOpen; start <= last; start += Advance)
        {
            var aggregate = Update(record.Key, record.Value, start);
            if (emit == EmitStrategy.OnUpdate)
            {
                Emit(record.Key, start, aggregate, record.Timestamp);
            }
        }
    }

    protected override void EmitClosedWindows(long closable)
    {
        var from = LastEmittedStart == long.MinValue ? DateTimeOffset.MinValue : WindowMath.ToTime(LastEmittedStart + 1);
        foreach (var (window, aggregate) in Store.FetchAll(from, WindowMath.ToTime(closable)))
        {
            Emit(window.Key, window.Start.UtcTicks, aggregate, window.Start);
        }
    }

    private TAggregate Update(TKey key, TValue value, long start)
    {
        if (FastStore is { } fast)
        {
            if (!fast.Admit(start))
            {
                return initializer();
            }

            ref var slot = ref fast.GetOrAddSlot(key, start, out var existed);
            var updated = aggregator(key, value, existed ? slot! : initializer());
            slot = updated;
            return updated;
        }

        var windowStart = WindowMath.ToTime(start);
        var current = Store.TryGet(key, windowStart, out var existing) ? existing : initializer();
        var result = aggregator(key, value, current);
        Store.Put(key, result, windowStart);
        return result;
    }
}
