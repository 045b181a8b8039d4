namespace StreamBilling.Billing.Invoicing;

/// <summary>
/// An Elastic IP held by a customer from <see cref="From"/> until <see cref="Until"/> (one allocation). While the
/// allocation is still open, send the part so far and send it again, longer, later: the latest version of a
/// <see cref="HoldingId"/> replaces the earlier one.
/// </summary>
/// <param name="HoldingId">Allocation id.</param>
/// <param name="SourceEventIds">Events the holding came from (allocated, released).</param>
/// <param name="CustomerId">Customer billed.</param>
/// <param name="Region">Region of the address.</param>
/// <param name="IpAddress">The address.</param>
/// <param name="From">Allocated at (UTC, inclusive).</param>
/// <param name="Until">Released at, or the time known so far (UTC, exclusive).</param>
/// <param name="IsOwnIp">Bring-your-own IP: never charged.</param>
public sealed record ElasticIpHolding(
    string HoldingId,
    IReadOnlyList<string> SourceEventIds,
    string CustomerId,
    string Region,
    string IpAddress,
    DateTimeOffset From,
    DateTimeOffset Until,
    bool IsOwnIp);
