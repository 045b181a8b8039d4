using StreamBilling.Pipeline.Cdn;
using StreamBilling.Storage;

namespace StreamBilling.Pipeline.Tests;

/// <summary>
/// The CDN registry the tests' customers c1…c9 have: one distribution each, <c>dist-cN</c> (the id the CDN samples of
/// <see cref="CdnEvents"/> name), behind bucket <c>bucket-cN</c>, served at <c>dist-cn.cloudfront.net</c>.
/// </summary>
internal static class TestCdnRegistry
{
    public static IReadOnlyList<CdnDistribution> Distributions { get; } =
        [.. Enumerable.Range(1, 9).Select(i => Of("c" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)))];

    /// <summary>The registry row of <paramref name="customer"/>'s one distribution.</summary>
    public static CdnDistribution Of(string customer) => new(customer, "bucket-" + customer, "dist-" + customer, $"dist-{customer}.cloudfront.net");

    /// <summary>A copy of the registry as the cap topology takes it.</summary>
    public static CdnRegistrySnapshot Snapshot() => new(Distributions);

    /// <summary>Writes the registry to <paramref name="store"/>.</summary>
    public static Task LoadAsync(ICdnDistributionStore store) =>
        store.UpsertDistributionsAsync(Distributions, new DateTimeOffset(2024, 8, 1, 0, 0, 0, TimeSpan.Zero), TestContext.Current.CancellationToken);
}
