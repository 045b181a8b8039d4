namespace StreamBilling.Streams;

internal sealed class FilterProcessor<TKey, TValue>(Func<TKey, TValue, bool> predicate, bool keep) : IProcessor<TKey, TValue>
{
    private IProcessorContext _context = null!;

    public void Init(IProcessorContext context) => _context = context;

    public void Process(Record<TKey, TValue> record)
    {
        if (predicate(record.Key, record.Value) == keep)
        {
            _context.Forward(record);
        }
    }

    public void Close()
    {
    }
}

internal sealed class MapProcessor<TKey, TValue, TKeyOut, TValueOut>(Func<TKey, TValue, (TKeyOut Key, TValueOut Value)> mapper) : IProcessor<TKey, TValue>
{
    private IProcessorContext _context = null!;

    public void Init(IProcessorContext context) => _context = context;

    public void Process(Record<TKey, TValue> record)
    {
        var (key, value) = mapper(record.Key, record.Value);
        _context.Forward(new Record<TKeyOut, TValueOut>(key, value, record.Timestamp, record.Headers) { Id = record.Id });
    }

    public void Close()
    {
    }
}

internal sealed class MapValuesProcessor<TKey, TValue, TValueOut>(Func<TKey, TValue, TValueOut> mapper) : IProcessor<TKey, TValue>
{
    private IProcessorContext _context = null!;

    public void Init(IProcessorContext context) => _context = context;

    public void Process(Record<TKey, TValue> record) =>
        _context.Forward(new Record<TKey, TValueOut>(record.Key, mapper(record.Key, record.Value), record.Timestamp, record.Headers) { Id = record.Id });

    public void Close()
    {
    }
}

internal sealed class FlatMapProcessor<TKey, TValue, TKeyOut, TValueOut>(Func<TKey, TValue, IEnumerable<(TKeyOut Key, TValueOut Value)>> mapper) : IProcessor<TKey, TValue>
{
    private IProcessorContext _context = null!;

    public void Init(IProcessorContext context) => _context = context;

    public void Process(Record<TKey, TValue> record)
    {
        var index = 0;
        foreach (var (key, value) in mapper(record.Key, record.Value))
        {
            // One input becomes many outputs: an explicit id must stay unique per output.
            var id = record.Id is null ? null : $"{record.Id}/{index}";
            _context.Forward(new Record<TKeyOut, TValueOut>(key, value, record.Timestamp, record.Headers) { Id = id });
            index++;
        }
    }

    public void Close()
    {
    }
}

internal sealed class BranchProcessor<TKey, TValue>(Func<TKey, TValue, bool>[] predicates, string[] children) : IProcessor<TKey, TValue>
{
    private IProcessorContext _context = null!;

    public void Init(IProcessorContext context) => _context = context;

    public void Process(Record<TKey, TValue> record)
    {
        for (var i = 0; i < predicates.Length; i++)
        {
            if (predicates[i](record.Key, record.Value))
            {
                _context.Forward(record, children[i]);
                return;
            }
        }
    }

    public void Close()
    {
    }
}
