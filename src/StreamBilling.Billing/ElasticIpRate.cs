namespace StreamBilling.Billing;

/// <summary>Price per idle Elastic IP hour in a region (empty region: every region without its own row).</summary>
/// <param name="Region">Region.</param>
/// <param name="RatePerHour">Price per billed idle hour.</param>
public sealed record ElasticIpRate(string Region, decimal RatePerHour);
