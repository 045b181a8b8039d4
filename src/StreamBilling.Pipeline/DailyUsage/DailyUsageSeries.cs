namespace StreamBilling.Pipeline.DailyUsage;

/// <summary>A customer's usage of one service, one point per UTC day from <paramref name="From"/> to <paramref name="To"/> (inclusive).</summary>
/// <param name="CustomerId">The account.</param>
/// <param name="Service">The service (a <c>ServiceKind</c> name, e.g. <c>Cdn</c>).</param>
/// <param name="From">First day.</param>
/// <param name="To">Last day (inclusive).</param>
/// <param name="Currency">Currency of every cost.</param>
/// <param name="Days">One point per day, days without usage as zero points.</param>
public sealed record DailyUsageSeries(string CustomerId, string Service, DateOnly From, DateOnly To, string Currency, IReadOnlyList<DailyUsagePoint> Days);
