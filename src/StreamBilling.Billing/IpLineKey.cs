namespace StreamBilling.Billing;

/// <summary>What one Elastic IP line groups: month, region, address.</summary>
internal readonly record struct IpLineKey(BillingMonth Month, string Region, string IpAddress);
