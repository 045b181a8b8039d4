namespace StreamBilling.Api;

/// <summary>Usage and cost of one region and role in one ISO week.</summary>
/// <param name="Region">AWS region (<c>unknown</c> for CDN lines).</param>
/// <param name="Role">AWS role tag (<c>unknown</c> when untagged).</param>
/// <param name="IsoWeek">ISO week, e.g. <c>2024-W31</c>.</param>
/// <param name="UsageQuantity">Summed usage (EC2: instance-minutes).</param>
/// <param name="Cost">Summed cost before free tier and discounts.</param>
/// <param name="Hours">Hourly rollups summed.</param>
internal sealed record WeeklyCostRow(string Region, string Role, string IsoWeek, decimal UsageQuantity, decimal Cost, long Hours);
