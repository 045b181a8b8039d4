namespace StreamBilling.Billing;

/// <summary>
/// Turns usage, reservations and Elastic IPs into monthly bills. The only place the bill rules live: the batch CLI
/// and the stream pipeline both call it, so they cannot disagree.
/// </summary>
public static class BillCalculator
{
    /// <summary>Free hours per customer, per calendar month, per operating system.</summary>
    public const int FreeHoursPerMonth = 750;

    /// <summary>Free-tier months, counted from the customer's first bill month whatever gaps follow.</summary>
    public const int FreeTierMonths = 12;

    /// <summary>
    /// Validates the input and bills every customer from the records that passed. Rejected records are listed in
    /// <see cref="BillResult.Issues"/>; callers that must not bill a partly bad input check that list first.
    /// </summary>
    public static BillResult Calculate(BillInput input)
    {
        var validated = Validate(input);
        var perCustomer = new IReadOnlyList<MonthlyBill>[validated.CustomerCount];
        Calculate(validated, (index, bills) => perCustomer[index] = bills);

        var bills = new List<MonthlyBill>();
        foreach (var list in perCustomer)
        {
            bills.AddRange(list);
        }

        return new BillResult(bills, validated.Issues);
    }

    /// <summary>Checks every record against the rules; see <see cref="ValidatedBillInput.Issues"/>.</summary>
    public static ValidatedBillInput Validate(BillInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new ValidatedBillInput(InputValidator.Validate(input));
    }

    /// <summary>
    /// Bills every customer of a validated input, in parallel, and hands each customer's bills (ordered by month,
    /// possibly none) to <paramref name="onCustomerBilled"/> as soon as they are ready, with the customer's position
    /// in customer-ID order. The callback runs on several threads at once; it lets a caller write bills while others
    /// are still being computed, without holding them all in memory.
    /// </summary>
    public static void Calculate(ValidatedBillInput input, Action<int, IReadOnlyList<MonthlyBill>> onCustomerBilled)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(onCustomerBilled);
        var validated = input.Validated;

        // Customers are independent: no rule looks across customers.
        Parallel.For(
            0,
            validated.Customers.Count,
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            i => onCustomerBilled(i, CustomerBiller.Bill(validated, validated.Customers[i])));
    }
}
