namespace StreamBilling.Billing;

/// <summary>Everything a bill run needs; every list may be empty.</summary>
public sealed record BillInput
{
    /// <summary>Known customers.</summary>
    public IReadOnlyList<Customer> Customers { get; init; } = [];

    /// <summary>Instance rate card: region-specific rows win over all-region rows.</summary>
    public IReadOnlyList<RateCardEntry> Rates { get; init; } = [];

    /// <summary>On-demand usage events.</summary>
    public IReadOnlyList<UsageRecord> Usage { get; init; } = [];

    /// <summary>Reserved instances.</summary>
    public IReadOnlyList<ReservedInstance> ReservedInstances { get; init; } = [];

    /// <summary>Free-tier eligible type per region; <see langword="null"/> means there is no free tier at all.</summary>
    public IReadOnlyList<FreeTierEligibility>? FreeTier { get; init; }

    /// <summary>Elastic IP allocations.</summary>
    public IReadOnlyList<ElasticIpAllocation> ElasticIpAllocations { get; init; } = [];

    /// <summary>Elastic IP associations with instances.</summary>
    public IReadOnlyList<ElasticIpAssociation> ElasticIpAssociations { get; init; } = [];

    /// <summary>Elastic IP idle-hour rates.</summary>
    public IReadOnlyList<ElasticIpRate> ElasticIpRates { get; init; } = [];
}
