namespace StreamBilling.Simulation;

/// <summary>Everything the simulator decided about one customer up front.</summary>
internal sealed class CustomerProfile
{
    // Traffic outside bursts: 20-400 MB per minute, at most 600 MB with noise, i.e. under 9 GB / 15 min and 108 GB / 3 h.
    internal const long MinBaselineBytesPerMinute = 20_000_000;
    internal const long MaxBaselineBytesPerMinute = 400_000_000;

    public required SimulatedCustomer Public { get; init; }

    public required long BaselineBytesPerMinute { get; init; }

    public required string HomeRegion { get; init; }

    public required IReadOnlyList<string> Buckets { get; init; }

    public required IReadOnlyList<decimal> BucketSizesGb { get; init; }

    public required IReadOnlyList<string> Tables { get; init; }

    public required bool UsesMedia { get; init; }

    public required bool BuysReservedInstance { get; init; }

    public string CustomerId => Public.CustomerId;

    /// <summary>Builds the customers from their own random stream, so the plan does not depend on how events are drawn.</summary>
    public static IReadOnlyList<CustomerProfile> Create(SimulationOptions options)
    {
        var random = new Random(unchecked((options.Seed * 7919) + 17));
        var digits = Math.Max(4, options.Customers.ToString(System.Globalization.CultureInfo.InvariantCulture).Length);
        var burstCount = options.CdnBurstCustomerRatio == 0
            ? 0
            : Math.Clamp((int)Math.Round(options.CdnBurstCustomerRatio * options.Customers, MidpointRounding.AwayFromZero), 1, options.Customers);
        var burstIndexes = Enumerable.Range(0, options.Customers).ToArray();
        random.Shuffle(burstIndexes);
        var burstOrder = burstIndexes.Take(burstCount).Select((customer, order) => (customer, order)).ToDictionary(x => x.customer, x => x.order);

        var profiles = new List<CustomerProfile>(options.Customers);
        for (var i = 0; i < options.Customers; i++)
        {
            var id = "CUST" + (i + 1).ToString("D" + digits, System.Globalization.CultureInfo.InvariantCulture);
            var burst = burstOrder.TryGetValue(i, out var order) ? BurstKind(order, options.Duration) : CdnBurst.None;
            var burstStart = burst == CdnBurst.None ? (DateTimeOffset?)null : BurstStart(random, options, burst);
            var bucketCount = random.Next(1, 3);
            profiles.Add(new CustomerProfile
            {
                Public = new SimulatedCustomer(id, "E" + Ids.Upper(random, 13), burst, burstStart),
                BaselineBytesPerMinute = random.NextInt64(MinBaselineBytesPerMinute, MaxBaselineBytesPerMinute),
                HomeRegion = Catalog.Regions[random.Next(Catalog.Regions.Length)],
                Buckets = Enumerable.Range(0, bucketCount).Select(b => $"{id.ToLowerInvariant()}-data-{b}").ToList(),
                BucketSizesGb = Enumerable.Range(0, bucketCount).Select(_ => (decimal)random.Next(1, 5_000)).ToList(),
                Tables = Enumerable.Range(0, random.Next(0, 3)).Select(t => $"{id.ToLowerInvariant()}-table-{t}").ToList(),
                UsesMedia = random.NextDouble() < options.MediaCustomerRatio,
                BuysReservedInstance = random.NextDouble() < options.ReservedCustomerRatio,
            });
        }

        return profiles;
    }

    private static CdnBurst BurstKind(int order, TimeSpan duration) =>
        duration < TimeSpan.FromMinutes(15) ? CdnBurst.None
        : order % 2 == 1 && duration >= TimeSpan.FromHours(3) ? CdnBurst.ThreeHours
        : CdnBurst.FifteenMinutes;

    // Bursts start on a 5-minute boundary so that one hopping window (advance 1 or 5 minutes) covers a burst exactly.
    private static DateTimeOffset BurstStart(Random random, SimulationOptions options, CdnBurst burst)
    {
        var length = burst == CdnBurst.ThreeHours ? TimeSpan.FromHours(3) : TimeSpan.FromMinutes(15);
        var slots = (int)((options.Duration - length).Ticks / TimeSpan.FromMinutes(5).Ticks);
        return options.Start + (TimeSpan.FromMinutes(5) * random.Next(0, slots + 1));
    }
}
