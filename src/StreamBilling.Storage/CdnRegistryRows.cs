using System.Text.Json;

namespace StreamBilling.Storage;

/// <summary>Checks and encodings of CDN registry rows that every store backend shares.</summary>
internal static class CdnRegistryRows
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Throws <see cref="ArgumentException"/> for an empty field or a distribution id given twice.</summary>
    public static void Check(IReadOnlyCollection<CdnDistribution> distributions)
    {
        ArgumentNullException.ThrowIfNull(distributions);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var d in distributions)
        {
            ArgumentNullException.ThrowIfNull(d);
            ArgumentException.ThrowIfNullOrWhiteSpace(d.CustomerId);
            ArgumentException.ThrowIfNullOrWhiteSpace(d.Bucket);
            ArgumentException.ThrowIfNullOrWhiteSpace(d.DistributionId);
            ArgumentException.ThrowIfNullOrWhiteSpace(d.DomainName);
            if (!seen.Add(d.DistributionId))
            {
                throw new ArgumentException($"The distribution '{d.DistributionId}' is given twice.", nameof(distributions));
            }
        }
    }

    /// <summary>The distributions column of <c>cdn_distribution_status</c>: a JSON array.</summary>
    public static string ToJson(IReadOnlyList<CdnDistribution> distributions) => JsonSerializer.Serialize(distributions, Json);

    /// <summary>Reads <see cref="ToJson"/>'s text; null or empty reads as no distributions.</summary>
    public static IReadOnlyList<CdnDistribution> FromJson(string? json)
    {
        var list = string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize<CdnDistribution[]>(json, Json);
        return list is { Length: > 0 } ? list : [];
    }
}
