using System.Buffers;

namespace StreamBilling.Streams;

/// <summary>
/// The DSL's windowed aggregation. Per record: emit windows that closed (emit-final), then fold the record into each
/// open window containing it; windows already closed send the record to the late-records topic.
/// </summary>
internal sealed class WindowedAggregateProcessor<TKey, TValue, TAggregate>(
    TimeWindows windows,
    string storeName,
    string? markerStoreName,
    EmitStrategy emit,
    Func<TAggregate> initializer,
    Func<TKey, TValue, TAggregate, TAggregate> aggregator,
    ISerde<TKey> keySerde,
    ISerde<TValue> valueSerde) : IProcessor<TKey, TValue>
    where TKey : notnull
{
    private const string MarkerKey = "last-emitted-window-start";
    private readonly long _size = windows.Size.Ticks;
    private readonly long _advance = windows.Advance.Ticks;
    private readonly long _grace = windows.Grace.Ticks;
    private readonly ArrayBufferWriter<byte> _idBuffer = new(128);
    private IProcessorContext _context = null!;
    private IWindowStore<TKey, TAggregate> _store = null!;
    private InMemoryWindowStore<TKey, TAggregate>? _fastStore;
    private IKeyValueStore<string, long>? _marker;
    private long _observed = long.MinValue;
    private long _lastEmittedStart = long.MinValue;

    public void Init(IProcessorContext context)
    {
        _context = context;
        _store = context.GetStateStore<IWindowStore<TKey, TAggregate>>(storeName);
        _fastStore = _store as InMemoryWindowStore<TKey, TAggregate>;
        if (markerStoreName is not null)
        {
            _marker = context.GetStateStore<IKeyValueStore<string, long>>(markerStoreName);
            if (_marker.TryGet(MarkerKey, out var marker))
            {
                _lastEmittedStart = marker;
            }
        }

        if (context.StreamTime != DateTimeOffset.MinValue)
        {
            _observed = context.StreamTime.UtcTicks;
        }
    }

    public void Process(Record<TKey, TValue> record)
    {
        if (record.Key is null)
        {
            _context.SendToLateRecords(record, "null-key", keySerde, valueSerde);
            return;
        }

        var time = record.Timestamp.UtcTicks;
        if (time > _observed)
        {
            _observed = time;
            if (_marker is not null)
            {
                EmitClosedWindows();
            }
        }

        // A window is closed once stream time ≥ start + size + grace.
        var lastClosedStart = _observed - _size - _grace;
        var (first, last) = WindowMath.StartsContaining(time, _size, _advance);
        var skipped = 0;
        var firstSkipped = 0L;
        for (var start = first; start <= last; start += _advance)
        {
            if (start <= lastClosedStart || start <= _lastEmittedStart)
            {
                if (skipped++ == 0)
                {
                    firstSkipped = start;
                }

                continue;
            }

            var aggregate = Update(record.Key, record.Value, start);
            if (emit == EmitStrategy.OnUpdate)
            {
                Emit(record.Key, start, aggregate, record.Timestamp);
            }
        }

        if (skipped > 0)
        {
            var task = ((NodeContext)_context).Task;
            task.SendLate(record, "window-closed", storeName, keySerde, valueSerde, WindowMath.ToTime(firstSkipped));
        }
    }

    public void Close()
    {
    }

    private TAggregate Update(TKey key, TValue value, long start)
    {
        if (_fastStore is { } fast)
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
        var current = _store.TryGet(key, windowStart, out var existing) ? existing : initializer();
        var result = aggregator(key, value, current);
        _store.Put(key, result, windowStart);
        return result;
    }

    private void EmitClosedWindows()
    {
        // Newest start whose window is closed at the observed stream time, on the window grid.
        var closable = WindowMath.AlignDown(_observed - _size - _grace, _advance);
        if (closable <= _lastEmittedStart)
        {
            return;
        }

        var from = _lastEmittedStart == long.MinValue ? DateTimeOffset.MinValue : WindowMath.ToTime(_lastEmittedStart + 1);
        foreach (var (window, aggregate) in _store.FetchAll(from, WindowMath.ToTime(closable)))
        {
            Emit(window.Key, window.Start.UtcTicks, aggregate, window.Start);
        }

        _lastEmittedStart = closable;
        _marker!.Put(MarkerKey, closable);
    }

    private void Emit(TKey key, long start, TAggregate aggregate, DateTimeOffset timestamp)
    {
        var window = new Windowed<TKey>(key, WindowMath.ToTime(start), WindowMath.ToTime(WindowMath.End(start, _size)));
        _context.Forward(new Record<Windowed<TKey>, TAggregate>(window, aggregate, timestamp) { Id = WindowId(key, start) });
    }

    private string WindowId(TKey key, long start)
    {
        _idBuffer.ResetWrittenCount();
        DeterministicId.Append(_idBuffer, _context.ApplicationId);
        DeterministicId.Append(_idBuffer, storeName);
        DeterministicId.Append(_idBuffer, keySerde.Serialize(key, new SerdeContext(storeName, true)) ?? []);
        DeterministicId.Append(_idBuffer, start);
        return DeterministicId.Hash(_idBuffer.WrittenSpan);
    }
}
