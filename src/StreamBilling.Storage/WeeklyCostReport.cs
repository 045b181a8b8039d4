namespace StreamBilling.Storage;

/// <summary>The analyst's weekly cost question: one service's usage and cost over a period, one row per (region, role, ISO week).</summary>
public static class WeeklyCostReport
{
    /// <summary>
    /// Rows for every partition (<c>region#role</c>) with data of <paramref name="customerId"/> (null: every account,
    /// summed), cut to [<paramref name="from"/>, <paramref name="until"/>), ordered by region, role and week.
    /// </summary>
    public static async Task<IReadOnlyList<WeeklyUsage>> QueryAsync(IRollupStore store, string? customerId, string service, DateTimeOffset from, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        var rows = new List<WeeklyUsage>();
        foreach (var partitionKey in await store.PartitionKeysAsync(customerId, cancellationToken))
        {
            rows.AddRange(await store.WeeklyAsync(WeeklyUsageQuery.ForPeriod(customerId, partitionKey, service, from, until), cancellationToken));
        }

        return [.. rows
            .OrderBy(r => r.Region, StringComparer.Ordinal)
            .ThenBy(r => r.Role, StringComparer.Ordinal)
            .ThenBy(r => r.IsoWeek, StringComparer.Ordinal)];
    }
}
