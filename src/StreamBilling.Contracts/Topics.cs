using StreamBilling.Events.Cdn;
using StreamBilling.Events.DynamoDb;
using StreamBilling.Events.Ec2;
using StreamBilling.Events.ElasticIp;
using StreamBilling.Events.Media;
using StreamBilling.Events.Outputs;
using StreamBilling.Events.S3;

namespace StreamBilling.Contracts;

/// <summary>
/// Every topic of the pipeline in one place (mirrored in <c>infra/topics.json</c>).
/// One value type per topic, so Schema Registry subjects follow TopicNameStrategy (<c>&lt;topic&gt;-value</c>); keys are strings.
/// </summary>
/// <remarks>
/// Keys are the natural partition key of each stream: <c>instanceId</c> for EC2 launch/terminate (same partition count, so the
/// two topics are co-partitioned and one task sees both ends of a session), <c>channelId</c>/<c>jobId</c> likewise for MediaLive and
/// MediaConvert, <c>customerId</c> for CDN (all of a customer's cap windows in one task), and <c>accountId</c> for metered usage
/// and Elastic IPs (billing is per customer). High-volume streams get more partitions so the embedded cluster's per-partition
/// retention cap (newest 5 MB / 100k batches) is not reached.
/// Conventions: <c>&lt;topic&gt;.dlq</c> holds records that could not be deserialized or validated (raw bytes, error headers);
/// <c>&lt;topic&gt;.late</c> (and an application's <c>&lt;applicationId&gt;-late-records</c>) holds records that arrived after
/// their window or month closed or could not be processed, each inside a <see cref="LateRecord"/> envelope (same key and
/// partitions as the source; one subject, <c>&lt;topic&gt;-value</c>, whatever the rejected records' types).
/// </remarks>
public static class Topics
{
    /// <summary>Suffix of a topic's dead-letter topic.</summary>
    public const string DeadLetterSuffix = ".dlq";

    /// <summary>Suffix of a topic's late-records topic.</summary>
    public const string LateSuffix = ".late";

    /// <summary>EC2 instance launches, key instanceId.</summary>
    public const string InstanceLaunched = "usage.ec2.instance-launched";

    /// <summary>EC2 instance terminations, key instanceId (co-partitioned with launches).</summary>
    public const string InstanceTerminated = "usage.ec2.instance-terminated";

    /// <summary>Reserved instance purchases, key accountId.</summary>
    public const string ReservedInstancePurchased = "usage.ec2.reserved-instance-purchased";

    /// <summary>S3 bucket usage, key accountId.</summary>
    public const string S3BucketUsage = "usage.s3.bucket-usage";

    /// <summary>DynamoDB table usage, key accountId.</summary>
    public const string DynamoDbTableUsage = "usage.dynamodb.table-usage";

    /// <summary>CDN traffic samples from CloudWatch (near-real-time, one per customer and minute), key customerId.</summary>
    public const string CdnTraffic = "usage.cdn.traffic";

    /// <summary>
    /// CDN traffic figures from Cost Explorer (authoritative, about a day late), key customerId. Kept apart from the
    /// CloudWatch samples so that pricing and billing messages do not read a thousand samples for every figure they bill.
    /// </summary>
    public const string CdnCostExplorer = "usage.cdn.cost-explorer";

    /// <summary>MediaPackage bytes downloaded, key accountId.</summary>
    public const string MediaPackageEgress = "usage.media.mediapackage-egress";

    /// <summary>CloudFront bytes for media breakouts, key accountId.</summary>
    public const string CloudFrontEgress = "usage.media.cloudfront-egress";

    /// <summary>MediaLive channel starts, key channelId.</summary>
    public const string MediaLiveChannelStarted = "usage.media.medialive-channel-started";

    /// <summary>MediaLive channel stops, key channelId (co-partitioned with starts).</summary>
    public const string MediaLiveChannelStopped = "usage.media.medialive-channel-stopped";

    /// <summary>MediaConvert job starts, key jobId.</summary>
    public const string MediaConvertJobStarted = "usage.media.mediaconvert-job-started";

    /// <summary>MediaConvert job finishes, key jobId (co-partitioned with starts).</summary>
    public const string MediaConvertJobFinished = "usage.media.mediaconvert-job-finished";

    /// <summary>Recordings stored in S3, key accountId.</summary>
    public const string RecordingStored = "usage.media.recording-stored";

    /// <summary>Elastic IP allocations, key accountId.</summary>
    public const string ElasticIpAllocated = "usage.eip.allocated";

    /// <summary>Elastic IP releases, key accountId.</summary>
    public const string ElasticIpReleased = "usage.eip.released";

    /// <summary>Elastic IP associations, key accountId.</summary>
    public const string ElasticIpAssociated = "usage.eip.associated";

    /// <summary>Elastic IP disassociations, key accountId.</summary>
    public const string ElasticIpDisassociated = "usage.eip.disassociated";

    /// <summary>Instance session slices, key accountId.</summary>
    public const string UsageSegments = "billing.usage-segments";

    /// <summary>Priced line items, key accountId.</summary>
    public const string PricedLines = "billing.priced-lines";

    /// <summary>CDN cap decisions, key customerId.</summary>
    public const string CdnCaps = "cdn.caps";

    /// <summary>CDN distribution status changes, key customerId, compacted.</summary>
    public const string CdnStatus = "cdn.status";

    /// <summary>Hourly rollups, key partitionKey (region#role).</summary>
    public const string HourlyRollups = "rollups.hourly";

    /// <summary>EVENT_CDN_USAGE messages for the billing system, key customerId.</summary>
    public const string CdnUsageMessages = "billing.cdn-usage-messages";

    /// <summary>The same messages as the billing system's JSON (<c>schemas/json/cdn-usage-event.schema.json</c>), key customerId.</summary>
    public const string CdnUsageEvents = "billing.cdn-usage-events";

    /// <summary>Invoices, key invoiceId, compacted.</summary>
    public const string Invoices = "billing.invoices";

    /// <summary>Every topic with its partitions, cleanup policy, key and value type.</summary>
    public static IReadOnlyList<TopicSpec> All { get; } =
    [
        new(InstanceLaunched, 12, TopicCleanupPolicy.Delete, "instanceId", typeof(InstanceLaunched)),
        new(InstanceTerminated, 12, TopicCleanupPolicy.Delete, "instanceId", typeof(InstanceTerminated)),
        new(ReservedInstancePurchased, 3, TopicCleanupPolicy.Delete, "accountId", typeof(ReservedInstancePurchased)),
        new(S3BucketUsage, 6, TopicCleanupPolicy.Delete, "accountId", typeof(BucketUsage)),
        new(DynamoDbTableUsage, 6, TopicCleanupPolicy.Delete, "accountId", typeof(TableUsage)),
        new(CdnTraffic, 12, TopicCleanupPolicy.Delete, "customerId", typeof(CdnTraffic)),
        new(CdnCostExplorer, 6, TopicCleanupPolicy.Delete, "customerId", typeof(CdnTraffic)),
        new(MediaPackageEgress, 6, TopicCleanupPolicy.Delete, "accountId", typeof(MediaPackageEgress)),
        new(CloudFrontEgress, 6, TopicCleanupPolicy.Delete, "accountId", typeof(CloudFrontEgress)),
        new(MediaLiveChannelStarted, 6, TopicCleanupPolicy.Delete, "channelId", typeof(MediaLiveChannelStarted)),
        new(MediaLiveChannelStopped, 6, TopicCleanupPolicy.Delete, "channelId", typeof(MediaLiveChannelStopped)),
        new(MediaConvertJobStarted, 6, TopicCleanupPolicy.Delete, "jobId", typeof(MediaConvertJobStarted)),
        new(MediaConvertJobFinished, 6, TopicCleanupPolicy.Delete, "jobId", typeof(MediaConvertJobFinished)),
        new(RecordingStored, 3, TopicCleanupPolicy.Delete, "accountId", typeof(RecordingStored)),
        new(ElasticIpAllocated, 12, TopicCleanupPolicy.Delete, "accountId", typeof(ElasticIpAllocated)),
        new(ElasticIpReleased, 12, TopicCleanupPolicy.Delete, "accountId", typeof(ElasticIpReleased)),
        new(ElasticIpAssociated, 12, TopicCleanupPolicy.Delete, "accountId", typeof(ElasticIpAssociated)),
        new(ElasticIpDisassociated, 12, TopicCleanupPolicy.Delete, "accountId", typeof(ElasticIpDisassociated)),
        new(UsageSegments, 12, TopicCleanupPolicy.Delete, "accountId", typeof(UsageSegment)),
        new(PricedLines, 12, TopicCleanupPolicy.Delete, "accountId", typeof(PricedLineItem)),
        new(CdnCaps, 6, TopicCleanupPolicy.Delete, "customerId", typeof(CdnCapDecision)),
        new(CdnStatus, 6, TopicCleanupPolicy.Compact, "customerId", typeof(CdnStatusChanged)),
        new(HourlyRollups, 6, TopicCleanupPolicy.Delete, "partitionKey", typeof(HourlyRollup)),
        new(CdnUsageMessages, 6, TopicCleanupPolicy.Delete, "payload.customerId", typeof(CdnUsageBillingMessage)),
        new(CdnUsageEvents, 6, TopicCleanupPolicy.Delete, "payload.customerId"),
        new(Invoices, 6, TopicCleanupPolicy.Compact, "invoiceId", typeof(Invoice)),
    ];

    /// <summary>The dead-letter topic of <paramref name="topic"/>: raw bytes with error headers, one partition (low volume).</summary>
    public static TopicSpec DeadLetterOf(TopicSpec topic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        return new(DeadLetterName(topic.Name), 1, TopicCleanupPolicy.Delete, topic.Key, null) { ReplicationFactor = topic.ReplicationFactor };
    }

    /// <summary>Name of the dead-letter topic of the topic named <paramref name="topic"/>.</summary>
    public static string DeadLetterName(string topic) => topic + DeadLetterSuffix;

    /// <summary>Every catalog topic followed by its dead-letter topic: what a cluster is provisioned with.</summary>
    public static IEnumerable<TopicSpec> AllWithDeadLetters() => All.Concat(All.Select(DeadLetterOf));

    /// <summary>The late-records topic of <paramref name="topic"/>: same key and partitions as the source, <see cref="LateRecord"/> values.</summary>
    public static TopicSpec LateOf(TopicSpec topic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        return topic with { Name = topic.Name + LateSuffix, ValueType = typeof(LateRecord) };
    }
}
