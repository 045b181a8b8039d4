namespace StreamBilling.Billing;

/// <summary>One line of a bill for a metered service: one usage type of one service in one region.</summary>
/// <param name="Service">Service.</param>
/// <param name="Region">Region (empty for a global service).</param>
/// <param name="UsageType">What was measured (a tier of a graduated rate has its own line).</param>
/// <param name="Resources">Distinct resources (buckets, tables, distributions, ...).</param>
/// <param name="Quantity">Billed quantity in <paramref name="Unit"/>.</param>
/// <param name="Unit">Unit of the quantity.</param>
/// <param name="Rate">Price per unit (the quantity-weighted average when the rate changed within the month).</param>
/// <param name="Amount">Sum of quantity x rate, rounded to 4 decimals.</param>
public sealed record ServiceLine(
    BillableService Service,
    string Region,
    string UsageType,
    int Resources,
    decimal Quantity,
    string Unit,
    decimal Rate,
    decimal Amount)
{
    /// <summary>Ids of the priced lines summed into this line.</summary>
    public IReadOnlyList<string> SourceLineIds { get; init; } = [];
}
