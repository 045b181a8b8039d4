namespace StreamBilling.Storage;

/// <summary>
/// Hourly rollups keyed by customer account, then like the Cassandra table: partition key <c>region#role</c>, clustering
/// ISO week, hour, service. Reads name one account, or none (null) for every account, which only operators may ask for.
/// </summary>
public interface IRollupStore
{
    /// <summary>Inserts or replaces each row by (customer, partition key, ISO week, hour, service): storing a row twice counts it once.</summary>
    Task UpsertAsync(IReadOnlyCollection<RollupRow> rows, CancellationToken cancellationToken = default);

    /// <summary>Every partition key (<c>region#role</c>) that has rows of <paramref name="customerId"/> (null: of any account), in ordinal order.</summary>
    Task<IReadOnlyList<string>> PartitionKeysAsync(string? customerId, CancellationToken cancellationToken = default);

    /// <summary>Usage and cost per ISO week of one partition and service, oldest week first; across accounts the rows sum every account.</summary>
    Task<IReadOnlyList<WeeklyUsage>> WeeklyAsync(WeeklyUsageQuery query, CancellationToken cancellationToken = default);
}
