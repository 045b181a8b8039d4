namespace StreamBilling.Storage;

/// <summary>
/// Hourly rollups keyed like the Cassandra table: partition key <c>region#role</c>, clustering ISO week, hour, service.
/// </summary>
public interface IRollupStore
{
    /// <summary>Inserts or replaces each row by (partition key, ISO week, hour, service): storing a row twice counts it once.</summary>
    Task UpsertAsync(IReadOnlyCollection<RollupRow> rows, CancellationToken cancellationToken = default);

    /// <summary>Every partition key (<c>region#role</c>) that has rows, in ordinal order.</summary>
    Task<IReadOnlyList<string>> PartitionKeysAsync(CancellationToken cancellationToken = default);

    /// <summary>Usage and cost per ISO week of one partition and service, oldest week first.</summary>
    Task<IReadOnlyList<WeeklyUsage>> WeeklyAsync(WeeklyUsageQuery query, CancellationToken cancellationToken = default);
}
