namespace StreamBilling.Streams;

/// <summary>One scheduled punctuation; <see cref="Next"/> is the next due time in UTC ticks (MinValue: anchored at the first record).</summary>
internal sealed class Punctuator(string nodeName, int index, long interval, PunctuationType type, Action<DateTimeOffset> callback, long next) : ICancellable
{
    public string NodeName { get; } = nodeName;

    public int Index { get; } = index;

    public long Interval { get; } = interval;

    public PunctuationType Type { get; } = type;

    public Action<DateTimeOffset> Callback { get; } = callback;

    public long Next { get; set; } = next;

    public bool Cancelled { get; private set; }

    public void Cancel() => Cancelled = true;
}
