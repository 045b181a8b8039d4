using System.Text.Json;
using System.Text.Json.Serialization;
using StreamBilling.Billing;
using StreamBilling.Events.Outputs;
using StreamBilling.Storage;

namespace StreamBilling.Pipeline.Invoicing;

/// <summary>
/// The customer's view of one <see cref="Invoice"/> version: its <see cref="InvoiceHeader"/>, plain decimals and UTC
/// times instead of Avro bytes and milliseconds, usage lines and correction lines apart. Stored as JSON by the invoice
/// sink (the header's fields, the period and the lines side by side: see <see cref="InvoiceDocumentJsonConverter"/>).
/// </summary>
/// <param name="Header">Who, which month, which version, the totals.</param>
/// <param name="CustomerName">Customer's name, when known.</param>
/// <param name="Lines">Usage of this month, in the bill's order.</param>
/// <param name="Corrections">Late usage of earlier, already final months, billed on this invoice.</param>
[JsonConverter(typeof(InvoiceDocumentJsonConverter))]
public sealed record InvoiceDocument(
    InvoiceHeader Header,
    string? CustomerName,
    IReadOnlyList<InvoiceDocumentLine> Lines,
    IReadOnlyList<InvoiceDocumentLine> Corrections)
{
    /// <summary>First instant of the month (UTC).</summary>
    public DateTimeOffset PeriodStart => Header.BillingMonth.Start;

    /// <summary>First instant of the next month (UTC).</summary>
    public DateTimeOffset PeriodEnd => Header.BillingMonth.End;

    /// <summary>The document of <paramref name="invoice"/>.</summary>
    /// <exception cref="ArgumentException">The invoice's month is not <c>yyyy-MM</c>, or its id is not <c>CUSTID/yyyy-MM</c> of its customer and month.</exception>
    public static InvoiceDocument From(Invoice invoice)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        if (!BillingMonth.TryParse(invoice.billingMonth, out var month))
        {
            throw new ArgumentException($"Invoice {invoice.invoiceId} has no valid month: '{invoice.billingMonth}'.", nameof(invoice));
        }

        if (invoice.invoiceId != InvoiceHeader.IdOf(invoice.customerId, month))
        {
            throw new ArgumentException($"Invoice {invoice.invoiceId} does not match its customer {invoice.customerId} and month {month}.", nameof(invoice));
        }

        var header = new InvoiceHeader(
            invoice.invoiceId,
            invoice.customerId,
            month,
            invoice.status.ToString(),
            invoice.revision,
            AvroTime.From(invoice.issuedAt),
            invoice.currency,
            AvroDecimals.ToDecimal(invoice.totalAmount),
            AvroDecimals.ToDecimal(invoice.totalDiscount),
            AvroDecimals.ToDecimal(invoice.actualAmount));
        return new InvoiceDocument(
            header,
            invoice.customerName,
            [.. invoice.lines.Where(l => !l.isCorrection).Select(InvoiceDocumentLine.From)],
            [.. invoice.lines.Where(l => l.isCorrection).Select(InvoiceDocumentLine.From)]);
    }

    /// <summary>Reads a document written by <see cref="ToJson"/>.</summary>
    public static InvoiceDocument FromJson(string json) =>
        JsonSerializer.Deserialize(json, PipelineJson.Default.InvoiceDocument) ?? throw new JsonException("An invoice document cannot be null.");

    /// <summary>This document as JSON (web defaults: camelCase; decimals exact).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, PipelineJson.Default.InvoiceDocument);
}
