namespace StreamBilling.Billing;

/// <summary>
/// A bill input checked by <see cref="BillCalculator.Validate(BillInput, DateTimeOffset?)"/>: the records the rules can bill, indexed per customer,
/// and every record they cannot. Lets a caller stop on bad records before any bill is computed or written.
/// </summary>
public sealed class ValidatedBillInput
{
    internal ValidatedBillInput(ValidatedInput validated) => Validated = validated;

    /// <summary>Rejected records, ordered by kind, then index; they are left out of every bill.</summary>
    public IReadOnlyList<InputIssue> Issues => Validated.Issues;

    /// <summary>Customers with a valid customer row (whether or not they have anything to bill).</summary>
    public int CustomerCount => Validated.Customers.Count;

    internal ValidatedInput Validated { get; }
}
