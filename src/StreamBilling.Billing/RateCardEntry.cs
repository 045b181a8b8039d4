namespace StreamBilling.Billing;

/// <summary>Hourly prices of an instance type in one region, or in every region when <see cref="Region"/> is empty.</summary>
/// <param name="InstanceType">Instance type.</param>
/// <param name="Region">Region, or empty for a row that applies to all regions.</param>
/// <param name="OnDemandRate">Price per on-demand hour.</param>
/// <param name="ReservedRate">Price per reserved hour, if the type can be reserved.</param>
public sealed record RateCardEntry(string InstanceType, string Region, decimal OnDemandRate, decimal? ReservedRate);
