namespace StreamBilling.Billing;

/// <summary>One on-demand usage event: an instance ran from <see cref="From"/> until <see cref="Until"/>.</summary>
/// <param name="CustomerId">Customer ID (matched ignoring case and <c>-</c>).</param>
/// <param name="InstanceId">EC2 instance ID.</param>
/// <param name="InstanceType">Instance type, e.g. <c>t3.micro</c>.</param>
/// <param name="Region">Region, or empty when the input has no regions.</param>
/// <param name="Os">Operating system (Linux when the input does not say).</param>
/// <param name="From">Start, UTC, inclusive.</param>
/// <param name="Until">End, UTC, exclusive.</param>
public sealed record UsageRecord(
    string CustomerId,
    string InstanceId,
    string InstanceType,
    string Region,
    InstanceOs Os,
    DateTimeOffset From,
    DateTimeOffset Until);
