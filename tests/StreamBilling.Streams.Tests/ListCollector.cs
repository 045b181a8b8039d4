namespace StreamBilling.Streams.Tests;

/// <summary>Keeps what a task emits, for tests that drive <see cref="StreamTask"/> directly.</summary>
internal sealed class ListCollector : IRecordCollector
{
    public List<ProducedRecord> Records { get; } = [];

    public void Send(in ProducedRecord record) => Records.Add(record);
}
