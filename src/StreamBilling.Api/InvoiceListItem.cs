using StreamBilling.Storage;

namespace StreamBilling.Api;

/// <summary>The latest invoice of one month, without its lines.</summary>
/// <param name="BillingMonth">Month billed, yyyy-MM (UTC); <c>GET …/invoices/{BillingMonth}</c> gives the full invoice.</param>
/// <param name="Status"><c>MonthToDate</c> while the month is open, <c>Final</c> once closed.</param>
/// <param name="Revision">Version of the month's invoice.</param>
/// <param name="IssuedAt">Stream time the version was produced at (UTC).</param>
/// <param name="Currency">ISO 4217 currency code.</param>
/// <param name="TotalAmount">Sum of line amounts.</param>
/// <param name="TotalDiscount">Sum of line discounts.</param>
/// <param name="ActualAmount">Total amount minus total discount: what the customer pays.</param>
internal sealed record InvoiceListItem(
    string BillingMonth,
    string Status,
    long Revision,
    DateTimeOffset IssuedAt,
    string Currency,
    decimal TotalAmount,
    decimal TotalDiscount,
    decimal ActualAmount)
{
    public static InvoiceListItem From(InvoiceHeader header) =>
        new(header.BillingMonth.ToString(), header.Status, header.Revision, header.IssuedAt, header.Currency, header.TotalAmount, header.TotalDiscount, header.ActualAmount);
}
