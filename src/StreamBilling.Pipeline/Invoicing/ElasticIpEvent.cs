using StreamBilling.Events.ElasticIp;

namespace StreamBilling.Pipeline.Invoicing;

/// <summary>Start or end of an Elastic IP allocation or association.</summary>
internal sealed record ElasticIpEvent(
    bool IsStart,
    bool IsAssociation,
    string EventId,
    string AccountId,
    string AllocationId,
    string? AssociationId,
    string PublicIp,
    string Region,
    string? InstanceId,
    bool Byoip,
    DateTimeOffset Time)
{
    /// <summary>Id of what the event starts or ends: the allocation, or the association.</summary>
    public string SubjectId => IsAssociation ? AssociationId! : AllocationId;

    /// <summary>The ledger key of the allocation or association the event starts or ends (a method: properties are stored).</summary>
    public LedgerKey Key() => new(AccountId, IsAssociation ? LedgerEntryKind.Association : LedgerEntryKind.Allocation, SubjectId);

    public static ElasticIpEvent From(ElasticIpAllocated e) =>
        new(true, false, e.eventId, e.accountId, e.allocationId, null, e.publicIp, e.region, null, e.byoip, AvroTime.From(e.eventTime));

    public static ElasticIpEvent From(ElasticIpReleased e) =>
        new(false, false, e.eventId, e.accountId, e.allocationId, null, e.publicIp, e.region, null, e.byoip, AvroTime.From(e.eventTime));

    public static ElasticIpEvent From(ElasticIpAssociated e) =>
        new(true, true, e.eventId, e.accountId, e.allocationId, e.associationId, e.publicIp, e.region, e.instanceId, false, AvroTime.From(e.eventTime));

    public static ElasticIpEvent From(ElasticIpDisassociated e) =>
        new(false, true, e.eventId, e.accountId, e.allocationId, e.associationId, e.publicIp, e.region, e.instanceId, false, AvroTime.From(e.eventTime));
}
