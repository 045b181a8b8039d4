using StreamBilling.Storage;

namespace StreamBilling.Api;

/// <summary>One of a customer's CDN distributions as customers see it: id and domain, not the S3 bucket behind it.</summary>
/// <param name="DistributionId">CloudFront distribution id.</param>
/// <param name="DomainName">The distribution's domain name.</param>
internal sealed record CdnDistributionItem(string DistributionId, string DomainName)
{
    public static CdnDistributionItem From(CdnDistribution distribution) => new(distribution.DistributionId, distribution.DomainName);
}
