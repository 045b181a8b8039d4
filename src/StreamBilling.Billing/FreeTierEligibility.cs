namespace StreamBilling.Billing;

/// <summary>The one instance type that is free-tier eligible in a region (empty region: every region without its own row).</summary>
/// <param name="Region">Region.</param>
/// <param name="InstanceType">The eligible type, e.g. <c>t3.micro</c> or <c>t2.micro</c>.</param>
public sealed record FreeTierEligibility(string Region, string InstanceType);
