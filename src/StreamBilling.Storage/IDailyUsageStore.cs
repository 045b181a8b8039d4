namespace StreamBilling.Storage;

/// <summary>
/// The daily usage view behind <c>GET /v1/usage</c>: each upstream record (a priced line or a CloudWatch CDN sample) stored
/// under its id as the UTC days it covers. Storing a record replaces whatever its id held before (a revised line, a
/// re-sent sample), so a replay changes nothing; reads sum per day.
/// </summary>
public interface IDailyUsageStore
{
    /// <summary>
    /// Replaces the days of each record's <see cref="DailyUsageSource.SourceId"/> with its <see cref="DailyUsageSource.Days"/>
    /// (none: the record is withdrawn). Within one call a later record with the same id wins.
    /// </summary>
    Task UpsertDailyUsageAsync(IReadOnlyCollection<DailyUsageSource> sources, CancellationToken cancellationToken = default);

    /// <summary>
    /// Per UTC day, figure, unit and currency: the sums of <paramref name="customerId"/>'s <paramref name="service"/> usage
    /// over the days <paramref name="firstDay"/> to <paramref name="lastDay"/> (both inclusive), ordered by day. Days without usage are absent.
    /// </summary>
    Task<IReadOnlyList<DailyUsageTotal>> DailyUsageAsync(string customerId, string service, DateOnly firstDay, DateOnly lastDay, CancellationToken cancellationToken = default);
}
