using StreamBilling.Events.Common;
using StreamBilling.Events.Ec2;

namespace StreamBilling.Pipeline.Tests;

/// <summary>Builders of EC2 lifecycle events for the session tests.</summary>
internal static class Ec2Events
{
    public static InstanceLaunched Launch(string eventId, string instanceId, string at, string account = "acct-1", string role = "Admin") => new()
    {
        eventId = eventId,
        source = "test",
        eventTime = T.Utc(at),
        accountId = account,
        instanceId = instanceId,
        instanceType = "t3.micro",
        region = "us-east-1",
        os = OperatingSystemType.Linux,
        purchaseOption = PurchaseOption.OnDemand,
        tags = new Dictionary<string, string> { ["role"] = role },
    };

    public static InstanceTerminated Terminate(string eventId, string instanceId, string at, string account = "acct-1", string role = "Admin") => new()
    {
        eventId = eventId,
        source = "test",
        eventTime = T.Utc(at),
        accountId = account,
        instanceId = instanceId,
        instanceType = "t3.micro",
        region = "us-east-1",
        os = OperatingSystemType.Linux,
        purchaseOption = PurchaseOption.OnDemand,
        tags = new Dictionary<string, string> { ["role"] = role },
    };
}
