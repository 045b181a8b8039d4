namespace StreamBilling.Billing;

/// <summary>An Elastic IP attached to an instance from <see cref="From"/> until <see cref="Until"/>.</summary>
/// <param name="IpAddress">The address.</param>
/// <param name="InstanceId">The EC2 instance it was attached to.</param>
/// <param name="From">Start, UTC, inclusive.</param>
/// <param name="Until">End, UTC, exclusive.</param>
public sealed record ElasticIpAssociation(string IpAddress, string InstanceId, DateTimeOffset From, DateTimeOffset Until);
