namespace StreamBilling.Billing;

/// <summary>A value per region, where the empty region is the fallback for regions without their own entry.</summary>
internal sealed class RegionLookup<TValue>
{
    private readonly Dictionary<string, TValue> _byRegion = new(StringComparer.Ordinal);

    public void Add(string region, TValue value) => _byRegion.Add(region, value);

    public bool TryGet(string region, out TValue value) =>
        _byRegion.TryGetValue(region, out value!) || _byRegion.TryGetValue(string.Empty, out value!);
}
