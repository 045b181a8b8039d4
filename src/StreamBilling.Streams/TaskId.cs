namespace StreamBilling.Streams;

/// <summary>Identity of a task: the sub-topology it runs and the input partition it owns.</summary>
/// <param name="SubTopology">Index of the sub-topology in the topology description.</param>
/// <param name="Partition">Input partition (shared by co-partitioned sources).</param>
public readonly record struct TaskId(int SubTopology, int Partition)
{
    /// <summary>Kafka Streams style text form, e.g. <c>0_3</c>.</summary>
    public override string ToString() => $"{SubTopology}_{Partition}";
}
