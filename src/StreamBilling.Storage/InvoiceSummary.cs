namespace StreamBilling.Storage;

/// <summary>The header of a customer's latest invoice for one month (what a listing shows).</summary>
/// <param name="BillingMonth">Month billed, yyyy-MM (UTC).</param>
/// <param name="Status"><c>MonthToDate</c> or <c>Final</c>.</param>
/// <param name="Revision">Version of the month's invoice.</param>
/// <param name="IssuedAt">Stream time the version was produced at (UTC).</param>
/// <param name="Currency">ISO 4217 currency code.</param>
/// <param name="TotalAmount">Sum of line amounts.</param>
/// <param name="TotalDiscount">Sum of line discounts.</param>
/// <param name="ActualAmount">Total amount minus total discount: what the customer pays.</param>
public sealed record InvoiceSummary(
    string BillingMonth,
    string Status,
    long Revision,
    DateTimeOffset IssuedAt,
    string Currency,
    decimal TotalAmount,
    decimal TotalDiscount,
    decimal ActualAmount);
