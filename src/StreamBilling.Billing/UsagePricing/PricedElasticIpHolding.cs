using StreamBilling.Billing.Invoicing;

namespace StreamBilling.Billing.UsagePricing;

/// <summary>An Elastic IP holding with the idle-hour rate in force when it was allocated (zero for the customer's own IP).</summary>
/// <param name="Holding">The holding.</param>
/// <param name="PerHour">Price per idle hour.</param>
/// <param name="RateCardVersion">Version the rate came from.</param>
public sealed record PricedElasticIpHolding(ElasticIpHolding Holding, decimal PerHour, string RateCardVersion);
