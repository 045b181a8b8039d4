namespace StreamBilling.Billing.UsagePricing;

/// <summary>
/// A measured quantity of a service over a period (S3, DynamoDB, CDN, media services). <see cref="Quantity"/> is in the
/// rate card's unit of <see cref="UsageType"/>, except S3 storage (<see cref="UsageTypes.S3Storage"/>), given in
/// GB-hours and priced per GB-month. <see cref="MeteredQuantity"/> converts bytes and durations.
/// </summary>
/// <param name="SourceEventIds">Events the usage came from.</param>
/// <param name="CustomerId">Customer billed.</param>
/// <param name="Service">Service.</param>
/// <param name="UsageType">What was measured; one of <see cref="UsageTypes"/>.</param>
/// <param name="Region">Region (empty when the service is global).</param>
/// <param name="ResourceId">Bucket, table, distribution, channel, job or recording.</param>
/// <param name="From">Start of the measured period (UTC, inclusive).</param>
/// <param name="Until">End of the measured period (UTC, exclusive); a period across a month end is shared by time.</param>
/// <param name="Quantity">Measured quantity (non-negative).</param>
public sealed record MeteredUsage(
    IReadOnlyList<string> SourceEventIds,
    string CustomerId,
    BillableService Service,
    string UsageType,
    string Region,
    string ResourceId,
    DateTimeOffset From,
    DateTimeOffset Until,
    decimal Quantity);
