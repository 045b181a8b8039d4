namespace StreamBilling.Storage;

/// <summary>One row of the analyst's answer: usage and cost of one region and role in one ISO week.</summary>
/// <param name="Region">AWS region.</param>
/// <param name="Role">AWS role tag.</param>
/// <param name="IsoWeek">ISO week, e.g. <c>2024-W33</c>.</param>
/// <param name="UsageQuantity">Summed usage (EC2: instance-minutes).</param>
/// <param name="Cost">Summed cost.</param>
/// <param name="Hours">Number of hourly rows summed.</param>
public sealed record WeeklyUsage(string Region, string Role, string IsoWeek, decimal UsageQuantity, decimal Cost, long Hours);
