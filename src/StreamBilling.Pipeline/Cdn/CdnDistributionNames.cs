using StreamBilling.Events.Outputs;
using StreamBilling.Storage;

namespace StreamBilling.Pipeline.Cdn;

/// <summary>How logs and the CLI name a status change's distributions: <c>E2QW… (d111….cloudfront.net), …</c>.</summary>
public static class CdnDistributionNames
{
    /// <summary>Text for a change that names no distribution (the registry held none for the customer).</summary>
    public const string None = "no distribution in the CDN registry";

    /// <summary>The distributions of <paramref name="change"/>.</summary>
    public static string Of(CdnStatusChanged change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return Join(change.distributions.Select(d => (d.distributionId, d.domainName)));
    }

    /// <summary>The distributions of <paramref name="status"/>.</summary>
    public static string Of(CdnStatusRecord status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return Of(status.Distributions);
    }

    /// <summary><paramref name="distributions"/> (registry rows).</summary>
    public static string Of(IEnumerable<CdnDistribution> distributions)
    {
        ArgumentNullException.ThrowIfNull(distributions);
        return Join(distributions.Select(d => (d.DistributionId, d.DomainName)));
    }

    private static string Join(IEnumerable<(string Id, string DomainName)> distributions)
    {
        var text = string.Join(", ", distributions.Select(d => $"{d.Id} ({d.DomainName})"));
        return text.Length == 0 ? None : text;
    }
}
