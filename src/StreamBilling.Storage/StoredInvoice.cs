namespace StreamBilling.Storage;

/// <summary>One version of a customer's monthly invoice as the store keeps it: header fields plus the full invoice as JSON.</summary>
/// <param name="InvoiceId">Deterministic invoice id, <c>CUSTID/yyyy-MM</c>.</param>
/// <param name="CustomerId">Customer billed.</param>
/// <param name="BillingMonth">Month billed, yyyy-MM (UTC).</param>
/// <param name="Status"><c>MonthToDate</c> or <c>Final</c>.</param>
/// <param name="Revision">Version of the month's invoice; a higher revision replaces a lower one.</param>
/// <param name="IssuedAt">Stream time the version was produced at (UTC).</param>
/// <param name="Currency">ISO 4217 currency code.</param>
/// <param name="TotalAmount">Sum of line amounts.</param>
/// <param name="TotalDiscount">Sum of line discounts.</param>
/// <param name="ActualAmount">Total amount minus total discount.</param>
/// <param name="EventId">Id of this version.</param>
/// <param name="Document">The full invoice (lines, totals, corrections) as JSON.</param>
public sealed record StoredInvoice(
    string InvoiceId,
    string CustomerId,
    string BillingMonth,
    string Status,
    long Revision,
    DateTimeOffset IssuedAt,
    string Currency,
    decimal TotalAmount,
    decimal TotalDiscount,
    decimal ActualAmount,
    string EventId,
    string Document);
