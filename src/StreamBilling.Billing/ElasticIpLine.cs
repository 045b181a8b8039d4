namespace StreamBilling.Billing;

/// <summary>One Elastic IP on a bill: how long it was held in the month and the idle hours charged.</summary>
/// <param name="Region">Region of the address.</param>
/// <param name="IpAddress">The address.</param>
/// <param name="AllocatedTime">Time the customer held the address in the month.</param>
/// <param name="BilledHours"><c>ceil(idle seconds / 3600)</c>; zero for the customer's own IP.</param>
/// <param name="Rate">Price per idle hour (zero when no rate was needed).</param>
/// <param name="Amount">Billed hours x rate, rounded to 4 decimals.</param>
public sealed record ElasticIpLine(
    string Region,
    string IpAddress,
    TimeSpan AllocatedTime,
    long BilledHours,
    decimal Rate,
    decimal Amount);
