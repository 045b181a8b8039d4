using StreamBilling.Billing;

namespace StreamBilling.Cur;

/// <summary>One imported billing period of one export, as <c>cur_imports</c> records it.</summary>
/// <param name="ExportName">The CUR export.</param>
/// <param name="BillingPeriod">The month.</param>
/// <param name="Version">The layout it was read as.</param>
/// <param name="ManifestKey">The manifest the import followed.</param>
/// <param name="ManifestId">v1 assemblyId / v2 executionId: the version of the period's data now in the store.</param>
/// <param name="TableName">The period's table, <c>cur_&lt;export&gt;_&lt;yyyy&gt;_&lt;MM&gt;</c>.</param>
/// <param name="ReportFiles">Report files read.</param>
/// <param name="RowCount">Line items stored.</param>
/// <param name="ImportedAt">When the import committed (UTC).</param>
public sealed record CurImportRecord(
    string ExportName,
    BillingMonth BillingPeriod,
    CurVersion Version,
    string ManifestKey,
    string ManifestId,
    string TableName,
    int ReportFiles,
    long RowCount,
    DateTimeOffset ImportedAt);
