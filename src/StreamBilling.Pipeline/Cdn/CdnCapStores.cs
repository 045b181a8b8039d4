namespace StreamBilling.Pipeline.Cdn;

/// <summary>Store names of the CdnCaps topology.</summary>
/// <param name="Samples">Window store of each customer's samples per bucket (<see cref="CdnSampleBucket"/>): de-duplication and the slice totals' source.</param>
/// <param name="Decided">Per (customer, cap): end of the last window a decision was emitted for.</param>
internal sealed record CdnCapStores(string Samples, string Decided)
{
    public static CdnCapStores For(CdnCapOptions options) => new("cdn-cap-samples", "cdn-cap-decided");

    public IEnumerable<string> All => [Samples, Decided];
}
