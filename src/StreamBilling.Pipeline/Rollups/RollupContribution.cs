using System.Text.Json.Serialization;
using StreamBilling.Events.Common;
using StreamBilling.Events.Outputs;
using StreamBilling.Pipeline.Sessions;

namespace StreamBilling.Pipeline.Rollups;

/// <summary>
/// What one upstream record adds to one hourly rollup: EC2 running time from a <see cref="UsageSegment"/> slice, or cost
/// from a <see cref="PricedLineItem"/>, to the rollup of its account. Identified by the upstream record's id, so a later
/// version replaces it.
/// </summary>
internal sealed record RollupContribution(
    string CustomerId,
    string SourceId,
    bool IsPricedLine,
    string Region,
    string Role,
    ServiceKind Service,
    DateTimeOffset HourStart,
    decimal UsedSeconds,
    decimal Cost,
    string? Currency)
{
    [JsonIgnore]
    public string PartitionKey => PartitionKeyOf(Region, Role);

    /// <summary>What the contributions are grouped (repartitioned) by: the account and its <c>region#role</c> partition.</summary>
    [JsonIgnore]
    public string GroupKey => $"{CustomerId}|{PartitionKey}";

    /// <summary>Key of the rollup the contribution belongs to, within its hour.</summary>
    [JsonIgnore]
    public string RollupKey => $"{GroupKey}|{Service}";

    /// <summary>The Cassandra-style partition key, e.g. <c>us-east-1#Admin</c>.</summary>
    public static string PartitionKeyOf(string region, string role) => $"{region}#{role}";

    public static RollupContribution From(UsageSegment segment) => new(
        segment.accountId,
        segment.eventId,
        IsPricedLine: false,
        segment.region,
        string.IsNullOrWhiteSpace(segment.role) ? InstanceEvent.UnknownRole : segment.role,
        ServiceKind.Ec2,
        AvroTime.HourOf(AvroTime.From(segment.segmentStart)),
        SegmentHours.UsedSeconds(segment),
        Cost: 0,
        Currency: null);

    public static RollupContribution From(PricedLineItem line) => new(
        line.accountId,
        line.eventId,
        IsPricedLine: true,
        line.region,
        string.IsNullOrWhiteSpace(line.role) ? InstanceEvent.UnknownRole : line.role,
        line.service,
        AvroTime.HourOf(AvroTime.From(line.usageStart)),
        UsedSeconds: 0,
        AvroDecimals.ToDecimal(line.amount),
        line.currency);
}
