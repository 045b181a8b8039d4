using System.Globalization;
using System.Text.Json;
using StreamBilling.Billing;

namespace StreamBilling.Cur;

/// <summary>
/// A CUR manifest: which report files hold the current version of a billing period. AWS rewrites a period's data several
/// times a month (and after it closes) and points the manifest at the newest files; reading only what it lists is what
/// keeps an import from mixing versions.
/// </summary>
/// <param name="Key">The manifest's key in the source.</param>
/// <param name="Version">The layout it was read as.</param>
/// <param name="BillingPeriod">The month the manifest's <c>billingPeriod.start</c> names.</param>
/// <param name="Id">The version of the period's data: v1 <c>assemblyId</c>, v2 <c>executionId</c>.</param>
/// <param name="ReportKeys">The report files, as keys in the source: v1 <c>reportKeys</c>; v2 <c>dataFiles</c> (<c>s3://bucket/</c> taken off).</param>
public sealed record CurManifest(string Key, CurVersion Version, BillingMonth BillingPeriod, string Id, IReadOnlyList<string> ReportKeys)
{
    private static readonly string[] PeriodFormats = ["yyyyMMdd'T'HHmmss.fff'Z'", "yyyyMMdd'T'HHmmss'Z'", "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd"];

    /// <summary>Reads the manifest text <paramref name="json"/> found at <paramref name="key"/> as <paramref name="version"/>.</summary>
    /// <exception cref="CurImportException">Not JSON, not a manifest of that version, or without report files; the message names the key.</exception>
    public static CurManifest Parse(string key, CurVersion version, string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new CurImportException($"The manifest '{key}' is not JSON: {e.Message}", e);
        }

        using (document)
        {
            var root = document.RootElement;
            var (idName, filesName) = version == CurVersion.V1 ? ("assemblyId", "reportKeys") : ("executionId", "dataFiles");
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty(idName, out var id) || id.ValueKind != JsonValueKind.String
                || !root.TryGetProperty(filesName, out var files) || files.ValueKind != JsonValueKind.Array)
            {
                throw new CurImportException(
                    $"The manifest '{key}' is not a CUR {CurVersions.Name(version)} manifest: it needs \"{idName}\" and \"{filesName}\". " +
                    "Check --version (v1: legacy Cost and Usage Reports, v2: CUR 2.0 data exports).");
            }

            var keys = new List<string>();
            foreach (var file in files.EnumerateArray())
            {
                var text = file.ValueKind == JsonValueKind.String ? file.GetString() : null;
                if (string.IsNullOrWhiteSpace(text))
                {
                    throw new CurImportException($"The manifest '{key}' lists a report file that is not a non-blank string.");
                }

                keys.Add(KeyOf(text));
            }

            if (keys.Count == 0)
            {
                throw new CurImportException($"The manifest '{key}' lists no report files.");
            }

            return new CurManifest(key, version, PeriodOf(key, root), id.GetString()!, keys);
        }
    }

    /// <summary>A v2 data file is a full <c>s3://bucket/key</c> URI; the source is the bucket, so only the key counts.</summary>
    private static string KeyOf(string file)
    {
        if (!file.StartsWith("s3://", StringComparison.OrdinalIgnoreCase))
        {
            return file.TrimStart('/');
        }

        var slash = file.IndexOf('/', "s3://".Length);
        return slash < 0 ? string.Empty : file[(slash + 1)..];
    }

    private static BillingMonth PeriodOf(string key, JsonElement root)
    {
        if (root.TryGetProperty("billingPeriod", out var period) && period.ValueKind == JsonValueKind.Object
            && period.TryGetProperty("start", out var start) && start.ValueKind == JsonValueKind.String
            && DateTime.TryParseExact(start.GetString(), PeriodFormats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var first)
            && first.Year >= 2000)
        {
            return new BillingMonth(first.Year, first.Month);
        }

        throw new CurImportException($"The manifest '{key}' has no readable billingPeriod.start (e.g. \"20240101T000000.000Z\").");
    }
}
