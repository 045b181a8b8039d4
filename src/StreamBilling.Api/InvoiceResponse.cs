using StreamBilling.Pipeline.Invoicing;

namespace StreamBilling.Api;

/// <summary>Answer of <c>GET /v1/customers/{customerId}/invoices/{month}</c>: the latest invoice of one month.</summary>
/// <param name="InvoiceId">Deterministic invoice id, <c>CUSTID/yyyy-MM</c>.</param>
/// <param name="CustomerId">Customer billed.</param>
/// <param name="CustomerName">Customer's name, when known.</param>
/// <param name="BillingMonth">Month billed, yyyy-MM (UTC).</param>
/// <param name="PeriodStart">First instant of the month (UTC).</param>
/// <param name="PeriodEnd">First instant of the next month (UTC).</param>
/// <param name="Status"><c>MonthToDate</c> while the month is open, <c>Final</c> once closed.</param>
/// <param name="Revision">Version of the month's invoice.</param>
/// <param name="IssuedAt">Stream time the version was produced at (UTC).</param>
/// <param name="Currency">ISO 4217 currency code.</param>
/// <param name="TotalAmount">Sum of line amounts.</param>
/// <param name="TotalDiscount">Sum of line discounts.</param>
/// <param name="ActualAmount">Total amount minus total discount.</param>
/// <param name="Lines">Usage of this month, in the bill's order.</param>
/// <param name="Corrections">Late usage of earlier, already final months, billed on this invoice.</param>
internal sealed record InvoiceResponse(
    string InvoiceId,
    string CustomerId,
    string? CustomerName,
    string BillingMonth,
    DateTimeOffset PeriodStart,
    DateTimeOffset PeriodEnd,
    string Status,
    long Revision,
    DateTimeOffset IssuedAt,
    string Currency,
    decimal TotalAmount,
    decimal TotalDiscount,
    decimal ActualAmount,
    IReadOnlyList<InvoiceLineResponse> Lines,
    IReadOnlyList<InvoiceLineResponse> Corrections)
{
    public static InvoiceResponse From(InvoiceDocument document)
    {
        var header = document.Header;
        return new InvoiceResponse(
            header.InvoiceId,
            header.CustomerId,
            document.CustomerName,
            header.BillingMonth.ToString(),
            document.PeriodStart,
            document.PeriodEnd,
            header.Status,
            header.Revision,
            header.IssuedAt,
            header.Currency,
            header.TotalAmount,
            header.TotalDiscount,
            header.ActualAmount,
            [.. document.Lines.Select(InvoiceLineResponse.From)],
            [.. document.Corrections.Select(InvoiceLineResponse.From)]);
    }
}
