namespace StreamBilling.Cur;

/// <summary>What importing one manifest did.</summary>
/// <param name="Record">The period as <c>cur_imports</c> now records it.</param>
/// <param name="ReplacedManifestId">The manifest id the period held before (null: it was new), so a caller can say what was superseded.</param>
/// <param name="Elapsed">Wall time of the period's transaction.</param>
public sealed record CurPeriodImport(CurImportRecord Record, string? ReplacedManifestId, TimeSpan Elapsed);
