namespace StreamBilling.Billing.RateCards;

/// <summary>
/// The prices in force from <see cref="EffectiveFrom"/> until the next version. An empty region (and a missing OS)
/// is a fallback: an entry for the region (and OS) itself wins over it.
/// </summary>
public sealed class RateCardVersion
{
    private readonly Dictionary<(string Region, string InstanceType, InstanceOs? Os), InstanceRate> _instances;
    private readonly Dictionary<string, string>? _freeTier;
    private readonly Dictionary<string, decimal> _elasticIps;
    private readonly Dictionary<(BillableService Service, string UsageType, string Region), MeteredRate> _metered;

    internal RateCardVersion(
        string version,
        DateTimeOffset effectiveFrom,
        Dictionary<(string Region, string InstanceType, InstanceOs? Os), InstanceRate> instances,
        Dictionary<string, string>? freeTier,
        Dictionary<string, decimal> elasticIps,
        Dictionary<(BillableService Service, string UsageType, string Region), MeteredRate> metered)
    {
        Version = version;
        EffectiveFrom = effectiveFrom;
        _instances = instances;
        _freeTier = freeTier;
        _elasticIps = elasticIps;
        _metered = metered;
    }

    /// <summary>Name of the version, carried on every priced line.</summary>
    public string Version { get; }

    /// <summary>First instant (UTC) the version applies to.</summary>
    public DateTimeOffset EffectiveFrom { get; }

    /// <summary>True when this version has a free tier at all.</summary>
    public bool HasFreeTier => _freeTier is not null;

    /// <summary>The instance rate for the region and OS: region and OS entry, else region, else OS, else neither.</summary>
    public bool TryGetInstanceRate(string region, string instanceType, InstanceOs os, out InstanceRate rate)
    {
        ArgumentNullException.ThrowIfNull(region);
        ArgumentNullException.ThrowIfNull(instanceType);
        return _instances.TryGetValue((region, instanceType, os), out rate!)
            || _instances.TryGetValue((region, instanceType, null), out rate!)
            || _instances.TryGetValue((string.Empty, instanceType, os), out rate!)
            || _instances.TryGetValue((string.Empty, instanceType, null), out rate!);
    }

    /// <summary>True when <paramref name="instanceType"/> is the free-tier type of the region (or of every region).</summary>
    public bool IsFreeTierEligible(string region, string instanceType)
    {
        if (_freeTier is null)
        {
            return false;
        }

        return (_freeTier.TryGetValue(region, out var eligible) || _freeTier.TryGetValue(string.Empty, out eligible))
            && string.Equals(eligible, instanceType, StringComparison.Ordinal);
    }

    /// <summary>Price per idle Elastic IP hour in the region (or every region).</summary>
    public bool TryGetElasticIpRate(string region, out decimal perHour) =>
        _elasticIps.TryGetValue(region, out perHour) || _elasticIps.TryGetValue(string.Empty, out perHour);

    /// <summary>True when an ec2 entry of this version is billed per second.</summary>
    internal bool HasPerSecondBilling => _instances.Values.Any(r => r.Billing == InstanceBilling.PerSecond);

    /// <summary>True when a metered rate of this version has volume tiers.</summary>
    internal bool HasVolumeTiers => _metered.Values.Any(r => r.IsTiered && r.Mode == TierMode.Volume);

    /// <summary>Price of a metered usage type in the region (or every region).</summary>
    public bool TryGetMeteredRate(BillableService service, string usageType, string region, out MeteredRate rate) =>
        _metered.TryGetValue((service, usageType, region), out rate!) || _metered.TryGetValue((service, usageType, string.Empty), out rate!);
}
