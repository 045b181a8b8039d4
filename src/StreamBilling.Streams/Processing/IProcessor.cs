namespace StreamBilling.Streams;

/// <summary>A low-level processor: one instance per task, called for one record at a time.</summary>
/// <typeparam name="TKey">Input key type.</typeparam>
/// <typeparam name="TValue">Input value type.</typeparam>
public interface IProcessor<TKey, TValue>
{
    /// <summary>Called once before the first record, after the task's stores are restored; fetch stores and schedule punctuators here.</summary>
    void Init(IProcessorContext context);

    /// <summary>Processes one record; forward results through the context.</summary>
    void Process(Record<TKey, TValue> record);

    /// <summary>
    /// Called before every commit, after the last record the commit covers (the test driver: after every input). A
    /// processor that coalesces updates (e.g. one invoice snapshot per customer and month instead of one per line)
    /// forwards them here; they go out in the same commit as its store changes. Records forwarded here must carry a
    /// <see cref="Record{TKey, TValue}.Id"/>: a flush is not tied to an input that an id could be derived from.
    /// </summary>
    void Flush()
    {
    }

    /// <summary>Called when the task closes (revocation or shutdown); stores are still open.</summary>
    void Close();
}
