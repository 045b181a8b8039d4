namespace StreamBilling.Storage;

/// <summary>
/// The CDN registry: which CloudFront distributions (and S3 buckets) each customer has. The cap controller disables a
/// capped customer's distributions from here, and the cap topology sends samples of customers it does not hold to the
/// late topic.
/// </summary>
public interface ICdnDistributionStore
{
    /// <summary>
    /// Writes <paramref name="distributions"/> in one transaction (all or nothing), keyed by distribution id: a new
    /// distribution is added at <paramref name="at"/>, a known one takes the given customer, bucket and domain name and
    /// keeps its added time. Nothing is removed. Two rows with one distribution id are refused.
    /// </summary>
    /// <returns>How many rows were written.</returns>
    Task<int> UpsertDistributionsAsync(IReadOnlyCollection<CdnDistribution> distributions, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>The registry, or <paramref name="customerId"/>'s part of it, ordered by customer then distribution id.</summary>
    Task<IReadOnlyList<RegisteredCdnDistribution>> ListDistributionsAsync(string? customerId = null, CancellationToken cancellationToken = default);

    /// <summary>The registry row of <paramref name="distributionId"/>, or null when it holds none.</summary>
    Task<RegisteredCdnDistribution?> FindDistributionAsync(string distributionId, CancellationToken cancellationToken = default);
}
