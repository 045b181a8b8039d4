namespace StreamBilling.Billing;

/// <summary>An Elastic IP held by a customer from <see cref="From"/> until <see cref="Until"/>.</summary>
/// <param name="CustomerId">Customer ID (matched ignoring case and <c>-</c>).</param>
/// <param name="Region">Region of the address (selects the rate).</param>
/// <param name="IpAddress">The address.</param>
/// <param name="From">Start, UTC, inclusive.</param>
/// <param name="Until">End, UTC, exclusive.</param>
/// <param name="IsOwnIp">Bring-your-own IP: never charged.</param>
public sealed record ElasticIpAllocation(
    string CustomerId,
    string Region,
    string IpAddress,
    DateTimeOffset From,
    DateTimeOffset Until,
    bool IsOwnIp);
