using StreamBilling.Billing;

namespace StreamBilling.Cur;

/// <summary>A manifest found by <see cref="CurManifestLocator"/>: its key and the billing period its path names.</summary>
/// <param name="Key">The manifest's key in the source.</param>
/// <param name="BillingPeriod">The month from the path (v1: the date range's start; v2: <c>BILLING_PERIOD=</c>).</param>
/// <param name="Prefix">The key prefix in front of the export name (empty when the export is at the bucket's root).</param>
public sealed record CurManifestLocation(string Key, BillingMonth BillingPeriod, string Prefix);
