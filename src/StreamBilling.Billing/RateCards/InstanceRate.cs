namespace StreamBilling.Billing.RateCards;

/// <summary>Hourly prices of an instance type in a region for an operating system.</summary>
/// <param name="OnDemandPerHour">Price per on-demand hour.</param>
/// <param name="ReservedPerHour">Price per reserved hour, when the type can be reserved.</param>
public sealed record InstanceRate(decimal OnDemandPerHour, decimal? ReservedPerHour);
