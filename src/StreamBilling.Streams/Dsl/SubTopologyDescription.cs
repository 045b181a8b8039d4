namespace StreamBilling.Streams;

/// <summary>A connected part of the topology (linked by edges or shared stores); one task per partition runs it.</summary>
/// <param name="Id">Index, the <see cref="TaskId.SubTopology"/> of its tasks.</param>
/// <param name="SourceTopics">Topics it consumes (co-partitioned).</param>
/// <param name="SinkTopics">Topics it produces to.</param>
/// <param name="StoreNames">Stores its tasks own.</param>
/// <param name="NodeNames">Its nodes, in creation order.</param>
public sealed record SubTopologyDescription(int Id, IReadOnlyList<string> SourceTopics, IReadOnlyList<string> SinkTopics, IReadOnlyList<string> StoreNames, IReadOnlyList<string> NodeNames);
