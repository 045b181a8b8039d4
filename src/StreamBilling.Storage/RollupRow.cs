namespace StreamBilling.Storage;

/// <summary>One hour of one service's usage and cost of one customer account in one region and role.</summary>
/// <param name="CustomerId">Customer account the usage is billed to (<see cref="NoAccount"/> for rows from before accounts).</param>
/// <param name="Region">AWS region, e.g. us-east-1.</param>
/// <param name="Role">AWS role tag, e.g. Admin (or <c>unknown</c>).</param>
/// <param name="Service">Service name, e.g. <c>Ec2</c>.</param>
/// <param name="HourStart">Start of the UTC hour.</param>
/// <param name="UsageQuantity">Usage in <paramref name="UsageUnit"/> (EC2: instance-minutes).</param>
/// <param name="UsageUnit">Unit of the usage.</param>
/// <param name="Cost">Cost before free tier and discounts.</param>
/// <param name="Currency">ISO 4217 currency code.</param>
/// <param name="LineCount">Priced lines folded into the row.</param>
/// <param name="EventId">Deterministic id of the rollup.</param>
public sealed record RollupRow(
    string CustomerId,
    string Region,
    string Role,
    string Service,
    DateTimeOffset HourStart,
    decimal UsageQuantity,
    string UsageUnit,
    decimal Cost,
    string Currency,
    long LineCount,
    string EventId)
{
    /// <summary>
    /// The account of rollups written before rollups had one (store rows migrated by <c>002_rollups_by_account.sql</c>,
    /// records of the older rollup schema): empty, which no customer's account id can be, so only operators see them.
    /// </summary>
    public const string NoAccount = "";

    /// <summary>The partition key inside the account, <c>region#role</c>.</summary>
    public string PartitionKey => PartitionKeyOf(Region, Role);

    /// <summary>ISO week of the hour, e.g. <c>2024-W33</c>.</summary>
    public string IsoWeek => IsoWeeks.Of(HourStart);

    /// <summary>The partition key of <paramref name="region"/> and <paramref name="role"/>.</summary>
    public static string PartitionKeyOf(string region, string role) => $"{region}#{role}";
}
