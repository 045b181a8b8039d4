namespace StreamBilling.Storage;

/// <summary>One row of the CDN registry: a customer's CloudFront distribution and the S3 bucket behind it.</summary>
/// <param name="CustomerId">Customer owning the distribution.</param>
/// <param name="Bucket">S3 bucket the distribution serves (hidden from the customer).</param>
/// <param name="DistributionId">CloudFront distribution id, e.g. <c>E2QWRUHAPOMQZL</c>; a distribution belongs to one customer.</param>
/// <param name="DomainName">The distribution's domain name, e.g. <c>d111111abcdef8.cloudfront.net</c>.</param>
public sealed record CdnDistribution(string CustomerId, string Bucket, string DistributionId, string DomainName);
