namespace StreamBilling.Billing.Csv;

/// <summary>The names of the input files a bill run reads from its input folder (matched ignoring case).</summary>
public static class InputFileNames
{
    /// <summary>Customers (required).</summary>
    public const string Customers = "Customer.csv";

    /// <summary>Instance rate card (required).</summary>
    public const string ResourceTypes = "AWSResourceTypes.csv";

    /// <summary>On-demand usage with Region and OS (this or <see cref="LegacyUsage"/> is required).</summary>
    public const string OnDemandUsage = "AWSOnDemandResourceUsage.csv";

    /// <summary>The older usage file without Region and OS.</summary>
    public const string LegacyUsage = "AWSResourceUsage.csv";

    /// <summary>Reserved instances (optional).</summary>
    public const string ReservedInstances = "AWSReservedInstanceUsage.csv";

    /// <summary>Free-tier eligible type per region (optional; without it there is no free tier).</summary>
    public const string FreeTier = "AWSFreeTierEligibility.csv";

    /// <summary>Elastic IP allocations (optional).</summary>
    public const string ElasticIpAllocations = "ElasticIPAllocation.csv";

    /// <summary>Elastic IP associations (optional).</summary>
    public const string ElasticIpAssociations = "ElasticIPAssociation.csv";

    /// <summary>Elastic IP rates (optional).</summary>
    public const string ElasticIpRates = "ElasticIPRates.csv";

    /// <summary>Rejected rows written by a run with skip-invalid.</summary>
    public const string Rejects = "rejects.csv";
}
