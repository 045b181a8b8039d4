namespace StreamBilling.Streams;

/// <summary>Where a task's output goes: the Kafka binding produces (transactionally), the test driver queues in memory.</summary>
public interface IRecordCollector
{
    /// <summary>Accepts one output record; partitioning by key is the collector's job.</summary>
    void Send(in ProducedRecord record);
}
