using System.Buffers;

namespace StreamBilling.Streams;

/// <summary>
/// What every windowed aggregation shares: stream time, which windows of a record are still open, late records,
/// emit-final bookkeeping (the last emitted start survives restores) and result ids from (application, store, key,
/// window start). Subclasses decide how aggregates are stored: one per window, or one per slice.
/// </summary>
internal abstract class WindowAggregateProcessorBase<TKey, TValue, TAggregate>(
    TimeWindows windows,
    string storeName,
    string? markerStoreName,
    ISerde<TKey> keySerde,
    ISerde<TValue> valueSerde) : IProcessor<TKey, TValue>
    where TKey : notnull
{
    private const string MarkerKey = "last-emitted-window-start";
    private readonly ArrayBufferWriter<byte> _idBuffer = new(128);
    private IKeyValueStore<string, long>? _marker;

    protected long Size { get; } = windows.Size.Ticks;

    protected long Advance { get; } = windows.Advance.Ticks;

    protected long Grace { get; } = windows.Grace.Ticks;

    protected IProcessorContext Context { get; private set; } = null!;

    protected IWindowStore<TKey, TAggregate> Store { get; private set; } = null!;

    /// <summary>The in-memory store's hot path, when the store is in memory.</summary>
    protected IWindowSlots<TKey, TAggregate>? FastStore { get; private set; }

    /// <summary>Max event time seen by this processor.</summary>
    protected long Observed { get; private set; } = long.MinValue;

    /// <summary>Start of the last window emitted on close (emit-final only).</summary>
    protected long LastEmittedStart { get; private set; } = long.MinValue;

    public void Init(IProcessorContext context)
    {
        Context = context;
        Store = context.GetStateStore<IWindowStore<TKey, TAggregate>>(storeName);
        FastStore = (Store as IRuntimeWindowStore<TKey, TAggregate>)?.Slots;
        if (markerStoreName is not null)
        {
            _marker = context.GetStateStore<IKeyValueStore<string, long>>(markerStoreName);
            if (_marker.TryGet(MarkerKey, out var marker))
            {
                LastEmittedStart = marker;
            }
        }

        if (context.StreamTime != DateTimeOffset.MinValue)
        {
            Observed = context.StreamTime.UtcTicks;
        }
    }

    public void Process(Record<TKey, TValue> record)
    {
        if (record.Key is null)
        {
            Context.SendToLateRecords(record, "null-key", keySerde, valueSerde);
            return;
        }

        var time = record.Timestamp.UtcTicks;
        if (time > Observed)
        {
            Observed = time;
            if (_marker is not null)
            {
                // Newest start whose window is closed at the observed stream time, on the window grid.
                var closable = WindowMath.AlignDown(Observed - Size - Grace, Advance);
                if (closable > LastEmittedStart)
                {
                    EmitClosedWindows(closable);
                    LastEmittedStart = closable;
                    _marker.Put(MarkerKey, closable);
                }
            }
        }

        // A window is closed once stream time ≥ start + size + grace; closed windows are a prefix of the record's.
        var lastClosedStart = Observed - Size - Grace;
        var (first, last) = WindowMath.StartsContaining(time, Size, Advance);
        var firstOpen = first;
        while (firstOpen <= last && (firstOpen <= lastClosedStart || firstOpen <= LastEmittedStart))
        {
            firstOpen += Advance;
        }

        if (firstOpen > first)
        {
            ((NodeContext)Context).Task.SendLate(record, "window-closed", storeName, keySerde, valueSerde, WindowMath.ToTime(first));
        }

        if (firstOpen <= last)
        {
            Aggregate(record, firstOpen, last);
        }
    }

    public void Close()
    {
    }

    /// <summary>Folds <paramref name="record"/> into its open windows, starts <paramref name="firstOpen"/>..<paramref name="last"/>.</summary>
    protected abstract void Aggregate(Record<TKey, TValue> record, long firstOpen, long last);

    /// <summary>Emits every window not emitted yet whose start is ≤ <paramref name="closable"/>.</summary>
    protected abstract void EmitClosedWindows(long closable);

    protected void Emit(TKey key, long start, TAggregate aggregate, DateTimeOffset timestamp)
    {
        var window = new Windowed<TKey>(key, WindowMath.ToTime(start), WindowMath.ToTime(WindowMath.End(start, Size)));
        Context.Forward(new Record<Windowed<TKey>, TAggregate>(window, aggregate, timestamp) { Id = WindowId(key, start) });
    }

    private string WindowId(TKey key, long start)
    {
        _idBuffer.ResetWrittenCount();
        DeterministicId.Append(_idBuffer, Context.ApplicationId);
        DeterministicId.Append(_idBuffer, storeName);
        DeterministicId.Append(_idBuffer, keySerde.Serialize(key, new SerdeContext(storeName, true)) ?? []);
        DeterministicId.Append(_idBuffer, start);
        return DeterministicId.Hash(_idBuffer.WrittenSpan);
    }
}
