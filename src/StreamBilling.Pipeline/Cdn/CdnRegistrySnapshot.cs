using System.Collections.Frozen;
using StreamBilling.Storage;

namespace StreamBilling.Pipeline.Cdn;

/// <summary>
/// An in-memory copy of the CDN registry (<see cref="ICdnDistributionStore"/>) that the cap topology looks customers
/// up in: <see cref="Replace"/> swaps the whole copy at once, so a lookup sees one load or the next, never half of one.
/// </summary>
/// <remarks>
/// The stream runtime has no global table, so instead of a compacted topic read into every task, each process holds
/// one copy refreshed from the store (<c>CdnRegistryRefreshService</c> (hosting)). Every instance reads the same store, and
/// a copy is at most one refresh interval behind it.
/// </remarks>
public sealed class CdnRegistrySnapshot
{
    private volatile FrozenDictionary<string, IReadOnlyList<CdnDistribution>> _byCustomer = FrozenDictionary<string, IReadOnlyList<CdnDistribution>>.Empty;

    /// <summary>An empty copy (every customer unknown until the first <see cref="Replace"/>).</summary>
    public CdnRegistrySnapshot()
    {
    }

    /// <summary>A copy holding <paramref name="distributions"/>.</summary>
    public CdnRegistrySnapshot(IEnumerable<CdnDistribution> distributions) => Replace(distributions);

    /// <summary>Customers the copy holds.</summary>
    public int CustomerCount => _byCustomer.Count;

    /// <summary>Whether the registry holds at least one distribution of <paramref name="customerId"/>.</summary>
    public bool IsRegistered(string customerId) => _byCustomer.ContainsKey(customerId);

    /// <summary><paramref name="customerId"/>'s distributions, ordered by distribution id; empty when it holds none.</summary>
    public IReadOnlyList<CdnDistribution> DistributionsOf(string customerId) =>
        _byCustomer.TryGetValue(customerId, out var distributions) ? distributions : [];

    /// <summary>Replaces the whole copy with <paramref name="distributions"/>.</summary>
    public void Replace(IEnumerable<CdnDistribution> distributions)
    {
        ArgumentNullException.ThrowIfNull(distributions);
        _byCustomer = distributions
            .GroupBy(d => d.CustomerId, StringComparer.Ordinal)
            .ToFrozenDictionary(
                g => g.Key,
                g => (IReadOnlyList<CdnDistribution>)[.. g.OrderBy(d => d.DistributionId, StringComparer.Ordinal)],
                StringComparer.Ordinal);
    }

    /// <summary>Replaces the copy with what <paramref name="store"/> holds now.</summary>
    public async Task RefreshAsync(ICdnDistributionStore store, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var rows = await store.ListDistributionsAsync(cancellationToken: cancellationToken);
        Replace(rows.Select(r => r.Distribution));
    }
}
