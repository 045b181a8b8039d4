namespace StreamBilling.Billing.UsagePricing;

/// <summary>A reserved instance, charged 24 hours a day for every month from <see cref="FirstMonth"/> to <see cref="LastMonth"/>.</summary>
/// <param name="SourceEventIds">Events the reservation came from (e.g. the purchase).</param>
/// <param name="CustomerId">Customer billed.</param>
/// <param name="InstanceId">The reserved instance (it counts as running for the whole term).</param>
/// <param name="InstanceType">Instance type.</param>
/// <param name="Region">Region.</param>
/// <param name="Os">Operating system.</param>
/// <param name="FirstMonth">First month of the term.</param>
/// <param name="LastMonth">Last month of the term (inclusive).</param>
public sealed record ReservedInstanceTerm(
    IReadOnlyList<string> SourceEventIds,
    string CustomerId,
    string InstanceId,
    string InstanceType,
    string Region,
    InstanceOs Os,
    BillingMonth FirstMonth,
    BillingMonth LastMonth);
