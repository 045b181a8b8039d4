using StreamBilling.Billing;

namespace StreamBilling.Storage;

/// <summary>The header of one version of a customer's monthly invoice: who, which month, which version, the totals.</summary>
/// <param name="InvoiceId">Deterministic invoice id, <c>CUSTID/yyyy-MM</c>.</param>
/// <param name="CustomerId">Customer billed.</param>
/// <param name="BillingMonth">Month billed (UTC).</param>
/// <param name="Status"><c>MonthToDate</c> while the month is open, <c>Final</c> once closed.</param>
/// <param name="Revision">Version of the month's invoice; a higher revision replaces a lower one.</param>
/// <param name="IssuedAt">Stream time the version was produced at (UTC).</param>
/// <param name="Currency">ISO 4217 currency code.</param>
/// <param name="TotalAmount">Sum of line amounts.</param>
/// <param name="TotalDiscount">Sum of line discounts.</param>
/// <param name="ActualAmount">Total amount minus total discount: what the customer pays.</param>
public sealed record InvoiceHeader(
    string InvoiceId,
    string CustomerId,
    BillingMonth BillingMonth,
    string Status,
    long Revision,
    DateTimeOffset IssuedAt,
    string Currency,
    decimal TotalAmount,
    decimal TotalDiscount,
    decimal ActualAmount)
{
    /// <summary>The invoice id of a customer and month: <c>CUSTID/yyyy-MM</c>.</summary>
    public static string IdOf(string customerId, BillingMonth month) => $"{customerId}/{month}";
}
