namespace StreamBilling.Api;

/// <summary>Answer of <c>GET /v1/usage/weekly-cost</c>: the analyst's rows over [<see cref="From"/>, <see cref="Until"/>).</summary>
/// <param name="Service">Service reported, e.g. <c>Ec2</c>.</param>
/// <param name="CustomerId">The account reported; null when the rows sum every account (an operator naming none).</param>
/// <param name="From">Start of the period (UTC, inclusive).</param>
/// <param name="Until">End of the period (UTC, exclusive).</param>
/// <param name="PartitionKey">The one partition (<c>region#role</c>) asked for, or null for all.</param>
/// <param name="Rows">One row per region, role and ISO week (across accounts: summed over them), ordered by region, role and week.</param>
internal sealed record WeeklyCostResponse(string Service, string? CustomerId, DateTimeOffset From, DateTimeOffset Until, string? PartitionKey, IReadOnlyList<WeeklyCostRow> Rows);
