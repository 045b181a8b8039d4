using System.Text.Json;
using StreamBilling.Events.Outputs;

namespace StreamBilling.Pipeline.Invoicing;

/// <summary>
/// The customer's view of one <see cref="Invoice"/> version: plain decimals and UTC times instead of Avro bytes and
/// milliseconds, usage lines and correction lines apart. Stored as JSON by the invoice sink and served by the API.
/// </summary>
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
public sealed record InvoiceDocument(
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
    IReadOnlyList<InvoiceDocumentLine> Lines,
    IReadOnlyList<InvoiceDocumentLine> Corrections)
{
    /// <summary>The document of <paramref name="invoice"/>.</summary>
    public static InvoiceDocument From(Invoice invoice)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        return new InvoiceDocument(
            invoice.invoiceId,
            invoice.customerId,
            invoice.customerName,
            invoice.billingMonth,
            AvroTime.From(invoice.periodStart),
            AvroTime.From(invoice.periodEnd),
            invoice.status.ToString(),
            invoice.revision,
            AvroTime.From(invoice.issuedAt),
            invoice.currency,
            AvroDecimals.ToDecimal(invoice.totalAmount),
            AvroDecimals.ToDecimal(invoice.totalDiscount),
            AvroDecimals.ToDecimal(invoice.actualAmount),
            [.. invoice.lines.Where(l => !l.isCorrection).Select(InvoiceDocumentLine.From)],
            [.. invoice.lines.Where(l => l.isCorrection).Select(InvoiceDocumentLine.From)]);
    }

    /// <summary>Reads a document written by <see cref="ToJson"/>.</summary>
    public static InvoiceDocument FromJson(string json) =>
        JsonSerializer.Deserialize(json, PipelineJson.Default.InvoiceDocument) ?? throw new JsonException("An invoice document cannot be null.");

    /// <summary>This document as JSON (web defaults: camelCase; decimals exact).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, PipelineJson.Default.InvoiceDocument);
}
