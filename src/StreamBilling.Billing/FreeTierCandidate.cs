namespace StreamBilling.Billing;

/// <summary>A free-tier eligible month piece of on-demand usage, waiting for its share of the free hours.</summary>
internal readonly record struct FreeTierCandidate(
    BillingMonth Month,
    InstanceOs Os,
    DateTimeOffset Start,
    string Instance,
    string Region,
    int RowIndex,
    long BilledHours,
    LineTotals Line);
