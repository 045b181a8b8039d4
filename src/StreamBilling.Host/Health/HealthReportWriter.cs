using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace StreamBilling.Host.Health;

/// <summary>
/// Writes a health report as JSON: <c>{"status":"Unhealthy","totalDurationMs":3.1,"checks":[{"name":"store",
/// "status":"Healthy","description":"…","durationMs":1.2,"data":{…}}]}</c>.
/// </summary>
internal static class HealthReportWriter
{
    public static async Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        // A probe's answer must never be served from a cache.
        context.Response.Headers.CacheControl = "no-store";
        await using var json = new Utf8JsonWriter(context.Response.Body, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("status", report.Status.ToString());
        json.WriteNumber("totalDurationMs", Math.Round(report.TotalDuration.TotalMilliseconds, 1));
        json.WriteStartArray("checks");
        foreach (var (name, entry) in report.Entries)
        {
            json.WriteStartObject();
            json.WriteString("name", name);
            json.WriteString("status", entry.Status.ToString());
            json.WriteString("description", entry.Description ?? entry.Exception?.Message);
            json.WriteNumber("durationMs", Math.Round(entry.Duration.TotalMilliseconds, 1));
            json.WriteStartObject("data");
            foreach (var (key, value) in entry.Data)
            {
                json.WriteString(key, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
    }
}
