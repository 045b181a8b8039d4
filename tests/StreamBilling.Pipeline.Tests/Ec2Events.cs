using StreamBilling.Events.Common;
using StreamBilling.Events.Ec2;

namespace StreamBilling.Pipeline.Tests;

/// <summary>Builders of EC2 lifecycle and reservation events for the session and pricing tests.</summary>
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

    public static ReservedInstancePurchased Reservation(string instanceType, OperatingSystemType os, string termStart, string termEnd) => new()
    {
        eventId = "p1",
        source = "test",
        eventTime = T.Utc(termStart),
        accountId = "CUST001",
        reservationId = "r1",
        instanceId = "i-r",
        instanceType = instanceType,
        region = "us-east-1",
        os = os,
        term = ReservationTerm.OneYear,
        termStart = T.Utc(termStart),
        termEnd = T.Utc(termEnd),
    };
}
