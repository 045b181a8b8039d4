using System.Globalization;
using System.Text.Json;
using Avro;
using StreamBilling.Events.Outputs;

namespace StreamBilling.Pipeline.Cdn;

/// <summary>
/// The JSON message the existing billing system reads (the CDN usage design's contract,
/// <c>schemas/json/cdn-usage-event.schema.json</c>): <c>{"type": "EVENT_CDN_USAGE", "payload": {"id", "customerId",
/// "startPeriod", "endPeriod", "trafficUsageGb"}}</c>, made from the Avro message so both carry the same id and figures.
/// </summary>
public static class CdnUsageEventJson
{
    /// <summary>UTF-8 JSON of <paramref name="message"/>: times as ISO 8601 UTC, the GB as a decimal string with 9 places (exact, as billed).</summary>
    public static byte[] Serialize(CdnUsageBillingMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var payload = message.payload;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", message.type);
            json.WriteStartObject("payload");
            json.WriteString("id", payload.id);
            json.WriteString("customerId", payload.customerId);
            json.WriteString("startPeriod", Iso(payload.startPeriod));
            json.WriteString("endPeriod", Iso(payload.endPeriod));
            json.WriteString("trafficUsageGb", AvroDecimal.ToDecimal(payload.trafficUsageGb).ToString("0.000000000", CultureInfo.InvariantCulture));
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    // Avro's timestamp-millis comes back as a UTC DateTime; written with its milliseconds only when it has any.
    private static string Iso(DateTime utc) =>
        DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.FFF'Z'", CultureInfo.InvariantCulture);
}
