namespace StreamBilling.Billing;

/// <summary>One line of a bill: all usage of one instance type in one region under one pricing.</summary>
/// <param name="Region">Region, empty when the input has no regions.</param>
/// <param name="InstanceType">Instance type.</param>
/// <param name="Pricing">On-demand or reserved.</param>
/// <param name="Resources">Distinct instance IDs.</param>
/// <param name="UsedTime">Exact time used.</param>
/// <param name="BilledHours">Sum of the started hours of every month piece.</param>
/// <param name="FreeHours">Billed hours covered by the free tier.</param>
/// <param name="Rate">Price per hour in this region.</param>
/// <param name="Amount">Billed hours x rate, rounded to 4 decimals.</param>
/// <param name="Discount">Free hours x rate, rounded to 4 decimals.</param>
public sealed record BillLine(
    string Region,
    string InstanceType,
    Pricing Pricing,
    int Resources,
    TimeSpan UsedTime,
    long BilledHours,
    long FreeHours,
    decimal Rate,
    decimal Amount,
    decimal Discount)
{
    /// <summary>Ids of the priced lines summed into this line (stream invoices only; empty for CSV bills).</summary>
    public IReadOnlyList<string> SourceLineIds { get; init; } = [];

    /// <summary>Amount less discount.</summary>
    public decimal ActualAmount => Amount - Discount;
}
