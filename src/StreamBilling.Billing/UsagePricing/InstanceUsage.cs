namespace StreamBilling.Billing.UsagePricing;

/// <summary>
/// EC2 usage to price: a whole usage event (batch: <see cref="SessionStart"/> = <see cref="From"/>), or one slice of a
/// running instance's session (stream: the session's launch time, and a slice cut at hour or month boundaries).
/// </summary>
/// <param name="SourceEventIds">Events the usage was computed from (launch, terminate, ...); carried onto every priced line.</param>
/// <param name="CustomerId">Customer billed.</param>
/// <param name="InstanceId">EC2 instance id.</param>
/// <param name="InstanceType">Instance type, e.g. <c>t3.micro</c>.</param>
/// <param name="Region">Region.</param>
/// <param name="Os">Operating system.</param>
/// <param name="Pricing">On-demand or spot (reservations are priced from a <see cref="ReservedInstanceTerm"/>).</param>
/// <param name="SessionStart">When the usage event (session) began: hours are counted from here, or from the month start when later.</param>
/// <param name="From">Start of the slice to price (UTC, inclusive), not before <paramref name="SessionStart"/>.</param>
/// <param name="Until">End of the slice (UTC, exclusive).</param>
public sealed record InstanceUsage(
    IReadOnlyList<string> SourceEventIds,
    string CustomerId,
    string InstanceId,
    string InstanceType,
    string Region,
    InstanceOs Os,
    Pricing Pricing,
    DateTimeOffset SessionStart,
    DateTimeOffset From,
    DateTimeOffset Until);
