namespace StreamBilling.Streams;

/// <summary>
/// Takes the records a task could not deserialize under <see cref="DeserializationErrorPolicy.DeadLetter"/>: the Kafka
/// binding produces each to <c>&lt;topic&gt;.dlq</c> through the task's output (so it is acknowledged before the offset past
/// it is committed), the test driver keeps them in memory.
/// </summary>
public interface IDeserializationErrorHandler
{
    /// <summary>Accepts one failure; throwing stops the task like <see cref="DeserializationErrorPolicy.Fail"/>.</summary>
    void Handle(DeserializationFailure failure);
}
