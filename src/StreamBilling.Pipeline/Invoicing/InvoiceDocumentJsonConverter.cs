using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using StreamBilling.Billing;
using StreamBilling.Storage;

namespace StreamBilling.Pipeline.Invoicing;

/// <summary>
/// The stored JSON of an <see cref="InvoiceDocument"/>: one flat object, <c>invoiceId, customerId, customerName,
/// billingMonth (yyyy-MM), periodStart, periodEnd, status, revision, issuedAt, currency, totalAmount, totalDiscount,
/// actualAmount, lines, corrections</c>, as the store has held since before the header became its own type.
/// </summary>
public sealed class InvoiceDocumentJsonConverter : JsonConverter<InvoiceDocument>
{
    /// <inheritdoc />
    public override InvoiceDocument Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("An invoice document is a JSON object.");
        }

        string? invoiceId = null, customerId = null, customerName = null, status = null, currency = null;
        BillingMonth? month = null;
        long revision = 0;
        DateTimeOffset issuedAt = default;
        decimal totalAmount = 0, totalDiscount = 0, actualAmount = 0;
        IReadOnlyList<InvoiceDocumentLine> lines = [], corrections = [];
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString()!.ToUpperInvariant();
            reader.Read();
            switch (name)
            {
                case "INVOICEID": invoiceId = reader.GetString(); break;
                case "CUSTOMERID": customerId = reader.GetString(); break;
                case "CUSTOMERNAME": customerName = reader.TokenType == JsonTokenType.Null ? null : reader.GetString(); break;
                case "BILLINGMONTH": month = BillingMonth.TryParse(reader.GetString(), out var m) ? m : throw new JsonException($"'{reader.GetString()}' is not a month (yyyy-MM)."); break;
                case "STATUS": status = reader.GetString(); break;
                case "REVISION": revision = reader.GetInt64(); break;
                case "ISSUEDAT": issuedAt = reader.GetDateTimeOffset(); break;
                case "CURRENCY": currency = reader.GetString(); break;
                case "TOTALAMOUNT": totalAmount = reader.GetDecimal(); break;
                case "TOTALDISCOUNT": totalDiscount = reader.GetDecimal(); break;
                case "ACTUALAMOUNT": actualAmount = reader.GetDecimal(); break;
                case "LINES": lines = JsonSerializer.Deserialize(ref reader, TypeInfo<IReadOnlyList<InvoiceDocumentLine>>(options)) ?? []; break;
                case "CORRECTIONS": corrections = JsonSerializer.Deserialize(ref reader, TypeInfo<IReadOnlyList<InvoiceDocumentLine>>(options)) ?? []; break;
                default: reader.Skip(); break; // periodStart and periodEnd follow from the month
            }
        }

        var header = new InvoiceHeader(
            invoiceId ?? throw Missing("invoiceId"),
            customerId ?? throw Missing("customerId"),
            month ?? throw Missing("billingMonth"),
            status ?? throw Missing("status"),
            revision,
            issuedAt,
            currency ?? throw Missing("currency"),
            totalAmount,
            totalDiscount,
            actualAmount);
        return new InvoiceDocument(header, customerName, lines, corrections);
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, InvoiceDocument value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        var header = value.Header;
        writer.WriteStartObject();
        writer.WriteString("invoiceId", header.InvoiceId);
        writer.WriteString("customerId", header.CustomerId);
        writer.WriteString("customerName", value.CustomerName);
        writer.WriteString("billingMonth", header.BillingMonth.ToString());
        writer.WriteString("periodStart", value.PeriodStart);
        writer.WriteString("periodEnd", value.PeriodEnd);
        writer.WriteString("status", header.Status);
        writer.WriteNumber("revision", header.Revision);
        writer.WriteString("issuedAt", header.IssuedAt);
        writer.WriteString("currency", header.Currency);
        writer.WriteNumber("totalAmount", header.TotalAmount);
        writer.WriteNumber("totalDiscount", header.TotalDiscount);
        writer.WriteNumber("actualAmount", header.ActualAmount);
        writer.WritePropertyName("lines");
        JsonSerializer.Serialize(writer, value.Lines, TypeInfo<IReadOnlyList<InvoiceDocumentLine>>(options));
        writer.WritePropertyName("corrections");
        JsonSerializer.Serialize(writer, value.Corrections, TypeInfo<IReadOnlyList<InvoiceDocumentLine>>(options));
        writer.WriteEndObject();
    }

    private static JsonTypeInfo<T> TypeInfo<T>(JsonSerializerOptions options) => (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));

    private static JsonException Missing(string name) => new($"An invoice document without {name}.");
}
