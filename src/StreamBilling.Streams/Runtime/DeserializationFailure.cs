namespace StreamBilling.Streams;

/// <summary>A source record that its key or value serde could not read, as a task reports it to its handler.</summary>
/// <param name="ApplicationId">Application whose task read the record.</param>
/// <param name="TaskId">The task that read it.</param>
/// <param name="Record">The record as consumed: topic, partition, offset, timestamp, original key/value bytes and headers.</param>
/// <param name="Error">What the serde threw.</param>
public sealed record DeserializationFailure(string ApplicationId, TaskId TaskId, ConsumedRecord Record, Exception Error)
{
    /// <summary>Why it failed, for the dead letter's reason: which part (key or value) and the serde's message.</summary>
    public required string Reason { get; init; }
}
