namespace StreamBilling.Streams;

/// <summary>What a processor sees of its task: stores, forwarding, time, scheduling and the current record's origin.</summary>
public interface IProcessorContext
{
    /// <summary>Application id (prefix of changelog, repartition and late-records topics).</summary>
    string ApplicationId { get; }

    /// <summary>The task running this processor.</summary>
    TaskId TaskId { get; }

    /// <summary>Name of this processor's node in the topology.</summary>
    string NodeName { get; }

    /// <summary>Origin of the record being processed; null inside a punctuation.</summary>
    RecordMetadata? RecordMetadata { get; }

    /// <summary>Max event timestamp the task has seen (<see cref="DateTimeOffset.MinValue"/> before the first record).</summary>
    DateTimeOffset StreamTime { get; }

    /// <summary>Current wall-clock time from the task's <see cref="TimeProvider"/>.</summary>
    DateTimeOffset WallClockTime { get; }

    /// <summary>A store connected to this processor, e.g. <c>GetStateStore&lt;IKeyValueStore&lt;string, Session&gt;&gt;("sessions")</c>.</summary>
    TStore GetStateStore<TStore>(string name)
        where TStore : class, IStateStore;

    /// <summary>Sends <paramref name="record"/> to every child node.</summary>
    void Forward<TKeyOut, TValueOut>(Record<TKeyOut, TValueOut> record);

    /// <summary>Sends <paramref name="record"/> to the child node named <paramref name="childName"/>.</summary>
    void Forward<TKeyOut, TValueOut>(Record<TKeyOut, TValueOut> record, string childName);

    /// <summary>
    /// Calls <paramref name="callback"/> every <paramref name="interval"/> of stream time (boundaries aligned to the epoch,
    /// once per advance however far time jumps) or of wall-clock time. The callback gets the current stream or wall-clock time.
    /// </summary>
    ICancellable Schedule(TimeSpan interval, PunctuationType type, Action<DateTimeOffset> callback);

    /// <summary>
    /// Writes <paramref name="record"/> to the late-records topic with <paramref name="reason"/> in its headers and counts it;
    /// records are never dropped silently.
    /// </summary>
    void SendToLateRecords<TKeyOut, TValueOut>(Record<TKeyOut, TValueOut> record, string reason, ISerde<TKeyOut> keySerde, ISerde<TValueOut> valueSerde);
}
