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
        ArgumentNullException.ThrowIfNull(input);
        var validated = InputValidator.Validate(input);
        var perCustomer = new List<MonthlyBill>[validated.Customers.Count];

        // Customers are independent, so they are billed in parallel; each writes only its own slot.
        Parallel.For(0, validated.Customers.Count, i => perCustomer[i] = CustomerBiller.Bill(validated, validated.Customers[i]));

        var bills = new List<MonthlyBill>();
        foreach (var list in perCustomer)
        {
            bills.AddRange(list);
        }

        return new BillResult(bills, validated.Issues);
    }
}
