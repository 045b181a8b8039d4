using StreamBilling.Storage;

namespace StreamBilling.Simulation;

/// <summary>A simulated customer and its CDN burst plan, so callers can check that caps fire for exactly these customers.</summary>
/// <param name="CustomerId">Customer (account) id, e.g. CUST0001.</param>
/// <param name="DistributionId">The customer's CloudFront distribution.</param>
/// <param name="Burst">The customer's CDN burst, if any.</param>
/// <param name="BurstStart">Start of the burst (on a 5-minute boundary); <see langword="null"/> without a burst.</param>
public sealed record SimulatedCustomer(string CustomerId, string DistributionId, CdnBurst Burst, DateTimeOffset? BurstStart)
{
    /// <summary>The customer's row of the CDN registry (bucket, distribution, domain), as the simulator registers it.</summary>
    public CdnDistribution Distribution => new(CustomerId, Bucket, DistributionId, DomainName);

    /// <summary>The S3 bucket behind the customer's distribution, e.g. <c>streambilling-cdn-cust0001</c>.</summary>
    public string Bucket => "streambilling-cdn-" + CustomerId.ToLowerInvariant();

    /// <summary>The distribution's CloudFront domain name, e.g. <c>dk3x….cloudfront.net</c> (from its id, as stable).</summary>
    public string DomainName => "d" + DistributionId[1..].ToLowerInvariant() + ".cloudfront.net";

    /// <summary>End of the burst (exclusive); <see langword="null"/> without a burst.</summary>
    public DateTimeOffset? BurstEnd => Burst switch
    {
        CdnBurst.FifteenMinutes => BurstStart + TimeSpan.FromMinutes(15),
        CdnBurst.ThreeHours => BurstStart + TimeSpan.FromHours(3),
        _ => null,
    };
}
