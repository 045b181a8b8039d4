using System.Text.Json.Serialization;
using StreamBilling.Events.Common;
using StreamBilling.Events.Ec2;

namespace StreamBilling.Pipeline.Sessions;

/// <summary>A launch or terminate in one shape, so both topics merge into one processor and the store can keep either.</summary>
internal sealed record InstanceEvent(
    bool IsLaunch,
    string EventId,
    string Source,
    DateTimeOffset Time,
    string AccountId,
    string InstanceId,
    string InstanceType,
    string Region,
    OperatingSystemType Os,
    PurchaseOption PurchaseOption,
    Dictionary<string, string> Tags)
{
    public const string RoleTag = "role";
    public const string UnknownRole = "unknown";

    [JsonIgnore]
    public string Role => Tags.TryGetValue(RoleTag, out var role) && !string.IsNullOrWhiteSpace(role) ? role : UnknownRole;

    public static InstanceEvent From(InstanceLaunched e) =>
        new(true, e.eventId, e.source, AvroTime.From(e.eventTime), e.accountId, e.instanceId, e.instanceType, e.region, e.os, e.purchaseOption, Copy(e.tags));

    public static InstanceEvent From(InstanceTerminated e) =>
        new(false, e.eventId, e.source, AvroTime.From(e.eventTime), e.accountId, e.instanceId, e.instanceType, e.region, e.os, e.purchaseOption, Copy(e.tags));

    /// <summary>The terminate as it was received, for the late-records topic.</summary>
    public InstanceTerminated ToTerminated() => new()
    {
        eventId = EventId,
        source = Source,
        eventTime = AvroTime.To(Time),
        accountId = AccountId,
        instanceId = InstanceId,
        instanceType = InstanceType,
        region = Region,
        os = Os,
        purchaseOption = PurchaseOption,
        tags = new Dictionary<string, string>(Tags, StringComparer.Ordinal),
    };

    private static Dictionary<string, string> Copy(IDictionary<string, string>? tags) =>
        tags is null ? new(StringComparer.Ordinal) : new(tags, StringComparer.Ordinal);
}
