namespace StreamBilling.Billing;

/// <summary>
/// A customer's month whose bill cannot be issued although each of its records is valid: an amount summed over the
/// month exceeds the largest billable amount. None of that customer's bills are issued.
/// </summary>
/// <param name="CustomerId">Customer ID as printed (without <c>-</c>).</param>
/// <param name="Month">The month.</param>
/// <param name="Reason">Which amount is too large, in words fit for an operator.</param>
public sealed record MonthIssue(string CustomerId, BillingMonth Month, string Reason)
{
    /// <inheritdoc />
    public override string ToString() => $"{CustomerId} {Month.ToLongName()}: {Reason}";
}
