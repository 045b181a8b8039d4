namespace StreamBilling.Pipeline.Cdn;

/// <summary>Store names of the CdnCapWindows topology.</summary>
/// <param name="Seen">Window store of sample eventIds (de-duplication), bucketed by the sample's minute.</param>
/// <param name="Windows">One window store of byte totals per slice (the gcd of window and advance) per cap, in <see cref="CdnCapOptions.Limits"/> order.</param>
/// <param name="Decided">Per (customer, cap): end of the last window a decision was emitted for.</param>
internal sealed record CdnCapStores(string Seen, IReadOnlyList<string> Windows, string Decided)
{
    public static CdnCapStores For(CdnCapOptions options) =>
        new("cdn-cap-seen", [.. options.Limits.Select(l => $"cdn-cap-{l.Name}")], "cdn-cap-decided");

    public IEnumerable<string> All => [Seen, .. Windows, Decided];
}
