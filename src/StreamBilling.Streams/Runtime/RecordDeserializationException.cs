namespace StreamBilling.Streams;

/// <summary>A source record could not be deserialized and the application's policy is <see cref="DeserializationErrorPolicy.Fail"/>.</summary>
public sealed class RecordDeserializationException : Exception
{
    /// <summary>Creates the exception for <paramref name="failure"/>; the serde's exception is the inner exception.</summary>
    public RecordDeserializationException(DeserializationFailure failure)
        : base(MessageOf(failure), failure?.Error)
    {
        Failure = failure!;
    }

    /// <summary>The record and what went wrong.</summary>
    public DeserializationFailure Failure { get; }

    private static string MessageOf(DeserializationFailure? failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var record = failure.Record;
        return $"Task {failure.TaskId} of '{failure.ApplicationId}' cannot deserialize {record.Topic}/{record.Partition}/{record.Offset}: {failure.Reason}";
    }
}
