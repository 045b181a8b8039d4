namespace StreamBilling.Billing;

/// <summary>A reserved instance, charged for every hour of every month of its term whether it runs or not.</summary>
/// <param name="CustomerId">Customer ID (matched ignoring case and <c>-</c>).</param>
/// <param name="InstanceId">EC2 instance ID.</param>
/// <param name="InstanceType">Instance type.</param>
/// <param name="Region">Region, or empty when the input has no regions.</param>
/// <param name="Os">Operating system.</param>
/// <param name="StartDate">First day of the term (a first day of a month).</param>
/// <param name="EndDate">Last day of the term, inclusive (a last day of a month).</param>
public sealed record ReservedInstance(
    string CustomerId,
    string InstanceId,
    string InstanceType,
    string Region,
    InstanceOs Os,
    DateOnly StartDate,
    DateOnly EndDate);
