namespace StreamBilling.Streams;

/// <summary>
/// Windowed aggregation over non-overlapping slices (the gcd of window size and advance): each record updates ONE
/// slice, and a window's result is its slices merged in time order. A 15-minute window advancing by 1 minute then
/// costs one store update and at most one changelog entry per record instead of fifteen. Results, ids and lateness are
/// exactly those of <see cref="WindowedAggregateProcessor{TKey, TValue, TAggregate}"/>, given a merger consistent
/// with the aggregator (aggregating a ∪ b = merging the aggregates of a and b).
/// </summary>
internal sealed class SlicedWindowAggregateProcessor<TKey, TValue, TAggregate>(
    TimeWindows windows,
    string storeName,
    string? markerStoreName,
    EmitStrategy emit,
    Func<TAggregate> initializer,
    Func<TKey, TValue, TAggregate, TAggregate> aggregator,
    Func<TKey, TAggregate, TAggregate, TAggregate> merger,
    ISerde<TKey> keySerde,
    ISerde<TValue> valueSerde)
    : WindowAggregateProcessorBase<TKey, TValue, TAggregate>(windows, storeName, markerStoreName, keySerde, valueSerde)
    where TKey : notnull
{
    private readonly long _slice = SliceOf(windows);
    private readonly Dictionary<TKey, TAggregate> _merged = [];

    /// <summary>Slice length: the largest span that divides both size and advance.</summary>
    internal static long SliceOf(TimeWindows windows)
    {
        long a = windows.Size.Ticks, b = windows.Advance.Ticks;
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }

    protected override void Aggregate(Record<TKey, TValue> record, long firstOpen, long last)
    {
        // Closed windows were emitted already; the slice still feeds the open ones.
        UpdateSlice(record.Key, record.Value, WindowMath.AlignDown(record.Timestamp.UtcTicks, _slice));
        if (emit == EmitStrategy.OnUpdate)
        {
            for (var start = firstOpen; start <= last; start += Advance)
            {
                Emit(record.Key, start, MergeWindow(record.Key, start), record.Timestamp);
            }
        }
    }

    private void UpdateSlice(TKey key, TValue value, long sliceStart)
    {
        if (FastStore is { } fast)
        {
            if (fast.Admit(sliceStart))
            {
                ref var slot = ref fast.GetOrAddSlot(key, sliceStart, out var existed);
                slot = aggregator(key, value, existed ? slot! : initializer());
            }

            return;
        }

        var at = WindowMath.ToTime(sliceStart);
        var current = Store.TryGet(key, at, out var existing) ? existing : initializer();
        Store.Put(key, aggregator(key, value, current), at);
    }

    private TAggregate MergeWindow(TKey key, long start)
    {
        var merged = default(TAggregate);
        var any = false;
        foreach (var (_, slice) in Store.Fetch(key, WindowMath.ToTime(start), WindowMath.ToTime(start + Size - _slice)))
        {
            merged = any ? merger(key, merged!, slice) : slice;
            any = true;
        }

        return any ? merged! : initializer();
    }

    protected override void EmitClosedWindows(long closable)
    {
        // Window starts with data: every start whose window holds a slice in range, visited in time order.
        var firstStart = LastEmittedStart == long.MinValue ? long.MinValue : LastEmittedStart + Advance;
        var windowStarts = new SortedSet<long>();
        foreach (var sliceStart in SliceStarts(WindowMath.ToTime(firstStart == long.MinValue ? DateTimeOffset.MinValue.UtcTicks : firstStart), WindowMath.ToTime(closable + Size - _slice)))
        {
            var (first, last) = WindowMath.StartsContaining(sliceStart, Size, Advance);
            for (var start = Math.Max(first, firstStart); start <= Math.Min(last, closable); start += Advance)
            {
                windowStarts.Add(start);
            }
        }

        foreach (var start in windowStarts)
        {
            EmitWindow(start);
        }
    }

    private IEnumerable<long> SliceStarts(DateTimeOffset from, DateTimeOffset to)
    {
        if (FastStore is { } fast)
        {
            return fast.StartsBetween(from.UtcTicks, to.UtcTicks);
        }

        return Store.FetchAll(from, to).Select(entry => entry.Key.Start.UtcTicks).Distinct();
    }

    private void EmitWindow(long start)
    {
        _merged.Clear();
        var timestamp = WindowMath.ToTime(start);
        if (FastStore is { } fast)
        {
            for (var slice = start; slice < start + Size; slice += _slice)
            {
                if (fast.BucketAt(slice) is not { } bucket)
                {
                    continue;
                }

                foreach (var (key, aggregate) in bucket)
                {
                    Merge(key, aggregate);
                }
            }
        }
        else
        {
            foreach (var (window, aggregate) in Store.FetchAll(timestamp, WindowMath.ToTime(start + Size - _slice)))
            {
                Merge(window.Key, aggregate);
            }
        }

        foreach (var (key, aggregate) in _merged)
        {
            Emit(key, start, aggregate, timestamp);
        }

        _merged.Clear();
    }

    private void Merge(TKey key, TAggregate aggregate)
    {
        ref var slot = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_merged, key, out var existed);
        slot = existed ? merger(key, slot!, aggregate) : aggregate;
    }
}
