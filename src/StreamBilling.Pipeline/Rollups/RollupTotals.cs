using StreamBilling.Events.Common;

namespace StreamBilling.Pipeline.Rollups;

/// <summary>Running totals of one (account, region, role, service) hour: EC2 running seconds, cost and the number of priced lines.</summary>
internal sealed record RollupTotals(string CustomerId, string Region, string Role, ServiceKind Service, decimal UsedSeconds, decimal Cost, long LineCount);
