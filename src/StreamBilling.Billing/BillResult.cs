namespace StreamBilling.Billing;

/// <summary>The bills computed from the valid records, and every record that was rejected.</summary>
/// <param name="Bills">Bills ordered by customer ID, then month.</param>
/// <param name="Issues">Rejected records, ordered by kind, then index.</param>
public sealed record BillResult(IReadOnlyList<MonthlyBill> Bills, IReadOnlyList<InputIssue> Issues)
{
    /// <summary>Months that could not be billed (see <see cref="MonthIssue"/>); their customers have no bills in <see cref="Bills"/>.</summary>
    public IReadOnlyList<MonthIssue> MonthIssues { get; init; } = [];
}
