namespace StreamBilling.Billing.Invoicing;

/// <summary>
/// An Elastic IP attached to an instance from <see cref="From"/> until <see cref="Until"/> (one association); the
/// latest version of an <see cref="AttachmentId"/> replaces the earlier one, as for <see cref="ElasticIpHolding"/>.
/// </summary>
/// <param name="AttachmentId">Association id.</param>
/// <param name="SourceEventIds">Events the attachment came from (associated, disassociated).</param>
/// <param name="IpAddress">The address.</param>
/// <param name="InstanceId">The instance it is attached to.</param>
/// <param name="From">Attached at (UTC, inclusive).</param>
/// <param name="Until">Detached at, or the time known so far (UTC, exclusive).</param>
public sealed record ElasticIpAttachment(
    string AttachmentId,
    IReadOnlyList<string> SourceEventIds,
    string IpAddress,
    string InstanceId,
    DateTimeOffset From,
    DateTimeOffset Until);
