namespace StreamBilling.Billing.RateCards;

/// <summary>Hourly prices of an instance type in a region for an operating system.</summary>
/// <param name="OnDemandPerHour">Price per on-demand hour.</param>
/// <param name="ReservedPerHour">Price per reserved hour, when the type can be reserved.</param>
/// <param name="Billing">How on-demand and spot running time is billed (reserved hours are always whole hours).</param>
public sealed record InstanceRate(decimal OnDemandPerHour, decimal? ReservedPerHour, InstanceBilling Billing = InstanceBilling.PerStartedHour);
