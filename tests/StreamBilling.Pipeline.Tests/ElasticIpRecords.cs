using StreamBilling.Events.ElasticIp;

namespace StreamBilling.Pipeline.Tests;

/// <summary>Elastic IP events of customer CUST001 in us-east-1, ids derived from the allocation or association id.</summary>
internal static class ElasticIpRecords
{
    public static ElasticIpAllocated Allocated(string allocation, string ip, string at) => new()
    {
        eventId = allocation + "-allocated",
        source = "test",
        eventTime = T.Utc(at),
        accountId = "CUST001",
        allocationId = allocation,
        publicIp = ip,
        region = "us-east-1",
        byoip = false,
    };

    public static ElasticIpReleased Released(string allocation, string ip, string at) => new()
    {
        eventId = allocation + "-released",
        source = "test",
        eventTime = T.Utc(at),
        accountId = "CUST001",
        allocationId = allocation,
        publicIp = ip,
        region = "us-east-1",
        byoip = false,
    };

    public static ElasticIpAssociated Associated(string association, string allocation, string ip, string instance, string at) => new()
    {
        eventId = association + "-associated",
        source = "test",
        eventTime = T.Utc(at),
        accountId = "CUST001",
        allocationId = allocation,
        publicIp = ip,
        region = "us-east-1",
        associationId = association,
        instanceId = instance,
    };

    public static ElasticIpDisassociated Disassociated(string association, string allocation, string ip, string instance, string at) => new()
    {
        eventId = association + "-disassociated",
        source = "test",
        eventTime = T.Utc(at),
        accountId = "CUST001",
        allocationId = allocation,
        publicIp = ip,
        region = "us-east-1",
        associationId = association,
        instanceId = instance,
    };
}
