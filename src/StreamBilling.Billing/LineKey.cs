namespace StreamBilling.Billing;

/// <summary>What one bill line groups: month, region, type, pricing.</summary>
internal readonly record struct LineKey(BillingMonth Month, string Region, string InstanceType, Pricing Pricing);
