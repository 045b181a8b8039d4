namespace StreamBilling.Streams;

/// <summary>
/// Receives store changes when a task flushes (before a commit). The Kafka binding produces them to the changelog
/// topic in the same transaction as the task's output; the test driver keeps them in memory.
/// </summary>
public interface IChangelogWriter
{
    /// <summary>Appends one change.</summary>
    void Write(in ChangelogRecord record);
}
