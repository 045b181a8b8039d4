using System.Collections.Concurrent;

namespace StreamBilling.Billing.UsagePricing;

/// <summary>The usage types the rate card prices (<c>metered</c> entries) and the pricer produces.</summary>
public static class UsageTypes
{
    // A handful of (type, OS, pricing) combinations name millions of lines in a batch run.
    private static readonly ConcurrentDictionary<(string InstanceType, InstanceOs Os, Pricing Pricing), string> InstanceNames = new();

    /// <summary>S3 storage: usage given in GB-hours, priced per GB-month (GB-hours / hours of the month).</summary>
    public const string S3Storage = "TimedStorage-GbMonth";

    /// <summary>S3 PUT, COPY, POST and LIST requests.</summary>
    public const string S3WriteRequests = "Requests-Tier1";

    /// <summary>S3 GET and other read requests.</summary>
    public const string S3ReadRequests = "Requests-Tier2";

    /// <summary>Data read out of an S3 bucket, per GB.</summary>
    public const string S3DataTransferOut = "DataTransfer-Out-Gb";

    /// <summary>Data written into an S3 bucket, per GB (AWS charges nothing for it; the line shows the volume).</summary>
    public const string S3DataTransferIn = "DataTransfer-In-Gb";

    /// <summary>DynamoDB on-demand read request units.</summary>
    public const string DynamoDbReads = "ReadRequestUnits";

    /// <summary>DynamoDB on-demand write request units.</summary>
    public const string DynamoDbWrites = "WriteRequestUnits";

    /// <summary>CDN data transferred out, per GB (graduated over the month).</summary>
    public const string CdnDataTransferOut = "DataTransfer-Out-Gb";

    /// <summary>MediaPackage bytes downloaded, per GB.</summary>
    public const string MediaPackageEgress = "Egress-Gb";

    /// <summary>CloudFront bytes delivered for a media breakout, per GB.</summary>
    public const string CloudFrontEgress = "DataTransfer-Out-Gb";

    /// <summary>MediaLive input hours.</summary>
    public const string MediaLiveInputHours = "Input-Hours";

    /// <summary>MediaLive output hours.</summary>
    public const string MediaLiveOutputHours = "Output-Hours";

    /// <summary>MediaConvert job minutes.</summary>
    public const string MediaConvertMinutes = "Transcode-Minutes";

    /// <summary>A recording stored in S3, per GB of its size.</summary>
    public const string RecordingStorage = "Recording-Gb";

    /// <summary>Usage type of on-demand EC2 lines: <c>BoxUsage:t3.micro:Linux</c>.</summary>
    public static string OnDemandInstance(string instanceType, InstanceOs os) => $"BoxUsage:{instanceType}:{os}";

    /// <summary>Usage type of spot EC2 lines: <c>SpotUsage:t3.micro:Linux</c>.</summary>
    public static string SpotInstance(string instanceType, InstanceOs os) => $"SpotUsage:{instanceType}:{os}";

    /// <summary>Usage type of reserved EC2 lines: <c>HeavyUsage:t3.micro:Linux</c>.</summary>
    public static string ReservedInstance(string instanceType, InstanceOs os) => $"HeavyUsage:{instanceType}:{os}";

    /// <summary>The usage type of an EC2 line with the given pricing.</summary>
    public static string Instance(string instanceType, InstanceOs os, Pricing pricing) =>
        InstanceNames.GetOrAdd((instanceType, os, pricing), static key => key.Pricing switch
        {
            Pricing.Spot => SpotInstance(key.InstanceType, key.Os),
            Pricing.Reserved => ReservedInstance(key.InstanceType, key.Os),
            _ => OnDemandInstance(key.InstanceType, key.Os),
        });

    /// <summary>
    /// True for the usage types whose pricer keeps the customer's month-to-date quantity (the pricing stream's
    /// <c>cdn-month-to-date</c> store): only these can have tiered rates. Any other pricer sees each record on its own
    /// and would price every unit at the first tier, so the rate card refuses tiers anywhere else.
    /// </summary>
    public static bool IsPricedMonthToDate(BillableService service, string usageType) =>
        service == BillableService.Cdn && string.Equals(usageType, CdnDataTransferOut, StringComparison.Ordinal);

    /// <summary>Usage type of Elastic IP idle hours.</summary>
    public const string ElasticIpIdle = "ElasticIP:IdleAddress";
}
