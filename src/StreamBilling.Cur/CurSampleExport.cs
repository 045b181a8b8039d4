namespace StreamBilling.Cur;

/// <summary>What <see cref="CurSampleGenerator"/> wrote.</summary>
/// <param name="ManifestKeys">The current manifest of each period, oldest first.</param>
/// <param name="SupersededManifestKey">The copy of the superseded first version of the last period's manifest (beside its report files); copying it over the current manifest turns the period back to that version.</param>
/// <param name="SupersededManifestId">The superseded version's assemblyId / executionId.</param>
/// <param name="ReportFiles">Report files written, both versions of the last period included.</param>
/// <param name="Rows">Line items in the current versions.</param>
/// <param name="AccountMapPath">A <c>cur_account_id,customer_id</c> file mapping the sample's accounts to CUST0001… (for <c>cur accounts --map</c>).</param>
/// <param name="AccountIds">The sample's usage accounts (12 digits).</param>
public sealed record CurSampleExport(
    IReadOnlyList<string> ManifestKeys,
    string SupersededManifestKey,
    string SupersededManifestId,
    int ReportFiles,
    long Rows,
    string AccountMapPath,
    IReadOnlyList<string> AccountIds);
