using Avro.Specific;

namespace StreamBilling.Simulation;

/// <summary>One generated record, ready for a producer.</summary>
/// <param name="Topic">Topic to publish to (one of <see cref="Contracts.Topics"/>).</param>
/// <param name="Key">Record key: the topic's natural partition key (see <see cref="Contracts.TopicSpec.Key"/>).</param>
/// <param name="Value">The generated Avro record. Duplicates share the instance; do not mutate it.</param>
/// <param name="Timestamp">
/// When the source publishes the record: use it as the Kafka record timestamp and for pacing. The sequence is ordered by it.
/// It equals <paramref name="EventTime"/> for most point events and lags it for measured periods, late deliveries and re-sends.
/// </param>
/// <param name="EventTime">When the usage happened: the payload's eventTime, or periodStart for a measured period.</param>
public sealed record SimulatedEvent(string Topic, string Key, ISpecificRecord Value, DateTimeOffset Timestamp, DateTimeOffset EventTime);
