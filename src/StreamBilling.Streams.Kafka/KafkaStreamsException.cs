namespace StreamBilling.Streams.Kafka;

/// <summary>A stream application stopped because it could not go on safely (output not written, state not restorable, fenced).</summary>
public sealed class KafkaStreamsException : Exception
{
    /// <summary>Creates the exception.</summary>
    public KafkaStreamsException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public KafkaStreamsException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public KafkaStreamsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
