using StreamBilling.Events.Cdn;

namespace StreamBilling.Pipeline.Tests;

/// <summary>Builders of CDN traffic samples.</summary>
internal static class CdnEvents
{
    public const long Gb = 1_000_000_000;

    /// <summary>A one-minute CloudWatch sample starting at <paramref name="periodStart"/>.</summary>
    public static CdnTraffic CloudWatch(string eventId, string customer, DateTimeOffset periodStart, long gb) =>
        Traffic(eventId, customer, CdnDataSource.CloudWatch, periodStart, periodStart.AddMinutes(1), gb * Gb);

    /// <summary>An authoritative Cost Explorer figure for [<paramref name="periodStart"/>, <paramref name="periodEnd"/>).</summary>
    public static CdnTraffic CostExplorer(string eventId, string customer, DateTimeOffset periodStart, DateTimeOffset periodEnd, long bytes) =>
        Traffic(eventId, customer, CdnDataSource.CostExplorer, periodStart, periodEnd, bytes);

    private static CdnTraffic Traffic(string eventId, string customer, CdnDataSource source, DateTimeOffset periodStart, DateTimeOffset periodEnd, long bytes) => new()
    {
        eventId = eventId,
        source = "test",
        customerId = customer,
        distributionId = "dist-" + customer,
        dataSource = source,
        periodStart = periodStart.UtcDateTime,
        periodEnd = periodEnd.UtcDateTime,
        bytes = bytes,
    };
}
