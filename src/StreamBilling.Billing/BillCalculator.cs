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
        var perCustomer = new IReadOnlyList<MonthlyBill>?[validated.CustomerCount];
        var monthIssues = Calculate(validated, (index, bills) => perCustomer[index] = bills);

        var bills = new List<MonthlyBill>();
        foreach (var list in perCustomer)
        {
            bills.AddRange(list ?? []);
        }

        return new BillResult(bills, validated.Issues) { MonthIssues = monthIssues };
    }

    /// <summary>Checks every record against the rules, with no limit on how far ahead event times may be; see <see cref="ValidatedBillInput.Issues"/>.</summary>
    public static ValidatedBillInput Validate(BillInput input) => Validate(input, latestEventTime: null);

    /// <summary>
    /// Checks every record against the rules; see <see cref="ValidatedBillInput.Issues"/>. An event time (usage,
    /// allocation or association boundary, reservation start) later than <paramref name="latestEventTime"/> is rejected
    /// as <c>future-timestamp</c>: pass the current time plus the allowed clock skew, as the stream applications do.
    /// </summary>
    public static ValidatedBillInput Validate(BillInput input, DateTimeOffset? latestEventTime)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new ValidatedBillInput(InputValidator.Validate(input, latestEventTime));
    }

    /// <summary>
    /// Bills every customer of a validated input, in parallel, and hands each customer's bills (ordered by month,
    /// possibly none) to <paramref name="onCustomerBilled"/> as soon as they are ready, with the customer's position
    /// in customer-ID order. The callback runs on several threads at once; it lets a caller write bills while others
    /// are still being computed, without holding them all in memory. A customer with a month that cannot be billed
    /// (see <see cref="MonthIssue"/>) is not handed over; those months are returned, ordered by customer and month.
    /// </summary>
    public static IReadOnlyList<MonthIssue> Calculate(ValidatedBillInput input, Action<int, IReadOnlyList<MonthlyBill>> onCustomerBilled)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(onCustomerBilled);
        var validated = input.Validated;

        // Customers are independent: no rule looks across customers.
        var issues = new List<MonthIssue>();
        Parallel.For(
            0,
            validated.Customers.Count,
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            i =>
            {
                var bills = CustomerBiller.Bill(validated, validated.Customers[i]);
                var customerIssues = CustomerBiller.AmountIssues(bills);
                if (customerIssues.Count == 0)
                {
                    onCustomerBilled(i, bills);
                    return;
                }

                lock (issues)
                {
                    issues.AddRange(customerIssues);
                }
            });
        issues.Sort((a, b) => string.CompareOrdinal(a.CustomerId, b.CustomerId) is var byCustomer and not 0 ? byCustomer : a.Month.CompareTo(b.Month));
        return issues;
    }
}
