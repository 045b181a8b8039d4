namespace StreamBilling.Storage;

/// <summary>Which rows <see cref="IRollupStore.WeeklyAsync"/> sums.</summary>
/// <param name="CustomerId">The customer account, or null for every account (summed; operators only).</param>
/// <param name="PartitionKey">Partition key, <c>region#role</c>.</param>
/// <param name="Service">Service name, e.g. <c>Ec2</c>.</param>
/// <param name="FromWeek">First ISO week, inclusive (e.g. <c>2024-W27</c>).</param>
/// <param name="ToWeek">Last ISO week, inclusive.</param>
public sealed record WeeklyUsageQuery(string? CustomerId, string PartitionKey, string Service, string FromWeek, string ToWeek)
{
    /// <summary>Optional first hour (inclusive), to cut a week that starts before the period asked for.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Optional end (exclusive), to cut a week that ends after the period asked for.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>The weeks covering [<paramref name="from"/>, <paramref name="until"/>), cut to exactly that period.</summary>
    public static WeeklyUsageQuery ForPeriod(string? customerId, string partitionKey, string service, DateTimeOffset from, DateTimeOffset until)
    {
        if (until <= from)
        {
            throw new ArgumentException("The period is empty: until must be after from.", nameof(until));
        }

        return new(customerId, partitionKey, service, IsoWeeks.Of(from), IsoWeeks.Of(until - TimeSpan.FromTicks(1))) { From = from, Until = until };
    }
}
