using System.Text.Json;
using System.Text.Json.Serialization;

namespace StreamBilling.Billing;

/// <summary>A <see cref="BillingMonth"/> in JSON as its <c>yyyy-MM</c> text, as a value and as a dictionary key.</summary>
public sealed class BillingMonthJsonConverter : JsonConverter<BillingMonth>
{
    /// <inheritdoc />
    public override BillingMonth Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Parse(ref reader);

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, BillingMonth value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.ToString());
    }

    /// <inheritdoc />
    public override BillingMonth ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Parse(ref reader);

    /// <inheritdoc />
    public override void WriteAsPropertyName(Utf8JsonWriter writer, BillingMonth value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WritePropertyName(value.ToString());
    }

    private static BillingMonth Parse(ref Utf8JsonReader reader) =>
        BillingMonth.TryParse(reader.GetString(), out var month) ? month : throw new JsonException($"'{reader.GetString()}' is not a month (yyyy-MM).");
}
