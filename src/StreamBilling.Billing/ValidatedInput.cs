using StreamBilling.Billing.UsagePricing;

namespace StreamBilling.Billing;

/// <summary>The input with bad records removed, indexed per customer.</summary>
internal sealed class ValidatedInput
{
    public required BillInput Input { get; init; }

    /// <summary>Valid customers ordered by display ID.</summary>
    public required List<CustomerRecords> Customers { get; init; }

    public required RateLookup Rates { get; init; }

    /// <summary>Prices the valid rows (a one-version rate card made of them).</summary>
    public required UsagePricer Pricer { get; init; }

    /// <summary>Eligible type per region; null when there is no free tier.</summary>
    public required RegionLookup<string>? FreeTier { get; init; }

    public required RegionLookup<decimal> ElasticIpRates { get; init; }

    /// <summary>Valid associations by IP address.</summary>
    public required Dictionary<string, List<ElasticIpAssociation>> AssociationsByIp { get; init; }

    /// <summary>Canonical instance ID of each usage row (by index).</summary>
    public required string[] UsageInstanceKeys { get; init; }

    /// <summary>Rate-card row of each usage row (by index); null only for rejected rows.</summary>
    public required RateCardEntry?[] UsageRates { get; init; }

    public required List<InputIssue> Issues { get; init; }
}
