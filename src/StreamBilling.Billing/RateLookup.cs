namespace StreamBilling.Billing;

/// <summary>Finds the rate-card row for a type in a region: the region's own row, else the all-region row.</summary>
internal sealed class RateLookup
{
    private readonly Dictionary<(string Type, string Region), RateCardEntry> _rows = [];

    public void Add(RateCardEntry entry) => _rows.Add((entry.InstanceType, entry.Region), entry);

    public RateCardEntry? Find(string instanceType, string region) =>
        _rows.TryGetValue((instanceType, region), out var row) || _rows.TryGetValue((instanceType, string.Empty), out row) ? row : null;
}
