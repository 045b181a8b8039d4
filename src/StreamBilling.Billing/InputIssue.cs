namespace StreamBilling.Billing;

/// <summary>A record the rules cannot bill, with the reason; the record is left out of every bill.</summary>
/// <param name="Kind">Which input list holds the record.</param>
/// <param name="Index">Zero-based position of the record in that list.</param>
/// <param name="Reason">Why it was rejected, in words fit for an operator.</param>
public sealed record InputIssue(InputKind Kind, int Index, string Reason);
