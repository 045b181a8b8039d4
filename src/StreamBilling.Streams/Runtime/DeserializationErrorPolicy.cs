namespace StreamBilling.Streams;

/// <summary>What a stream application does with a source record its serdes cannot read.</summary>
public enum DeserializationErrorPolicy
{
    /// <summary>
    /// Hand the raw record to the task's <see cref="IDeserializationErrorHandler"/> (the Kafka binding writes it to
    /// <c>&lt;topic&gt;.dlq</c>), count it, and continue after it: the offset past it is committed with the next commit.
    /// </summary>
    DeadLetter,

    /// <summary>Stop the task with a <see cref="RecordDeserializationException"/>; a restart reads the same record again.</summary>
    Fail,
}
