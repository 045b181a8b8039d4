using StreamBilling.Billing;

namespace StreamBilling.Pipeline.Invoicing;

/// <summary>A month closed after the inputs before <paramref name="Seq"/>, at stream time <paramref name="ClosedAt"/> (null: closed before it was recorded).</summary>
internal sealed record ClosedMonthEntry(BillingMonth Month, long Seq, DateTimeOffset? ClosedAt = null);
