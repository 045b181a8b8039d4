namespace StreamBilling.Billing;

/// <summary>A record the rules cannot bill, with the reason; the record is left out of every bill.</summary>
/// <param name="Kind">Which input list holds the record.</param>
/// <param name="Index">Zero-based position of the record in that list.</param>
/// <param name="Reason">Why it was rejected, in words fit for an operator.</param>
public sealed record InputIssue(InputKind Kind, int Index, string Reason)
{
    /// <summary>
    /// The list whose records this one refers to when a reference failed (an unknown customer: <see cref="InputKind.Customer"/>;
    /// no rate: <see cref="InputKind.Rate"/>): when that list has rejected rows of its own, they may be the root cause.
    /// </summary>
    public InputKind? Cause { get; init; }

    /// <summary>Another record of the same list the issue is about (the earlier allocation an allocation overlaps), by index.</summary>
    public int? RelatedIndex { get; init; }
}
