namespace StreamBilling.Billing;

/// <summary>The service a priced line belongs to (same names as the <c>ServiceKind</c> Avro enum).</summary>
public enum BillableService
{
    /// <summary>EC2 instance hours, on-demand or spot.</summary>
    Ec2,

    /// <summary>Reserved EC2 instance months.</summary>
    ReservedInstance,

    /// <summary>S3 storage and requests.</summary>
    S3,

    /// <summary>DynamoDB on-demand request units.</summary>
    DynamoDb,

    /// <summary>CDN (CloudFront distribution) data transfer, graduated tiers.</summary>
    Cdn,

    /// <summary>MediaPackage egress, per GB.</summary>
    MediaPackage,

    /// <summary>CloudFront egress of a media breakout, per GB.</summary>
    CloudFront,

    /// <summary>MediaLive channel hours, per input and per output.</summary>
    MediaLive,

    /// <summary>MediaConvert job minutes.</summary>
    MediaConvert,

    /// <summary>A recording stored in S3, per GB, once in the month it was stored.</summary>
    S3Recording,

    /// <summary>Elastic IP idle hours.</summary>
    ElasticIp,
}
