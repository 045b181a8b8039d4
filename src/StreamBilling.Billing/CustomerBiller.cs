using System.Globalization;
using StreamBilling.Billing.Invoicing;
using StreamBilling.Billing.UsagePricing;

namespace StreamBilling.Billing;

/// <summary>
/// Bills one customer's valid records: each record is priced by the stream's <see cref="UsagePricer"/> and assembled
/// by the stream's <see cref="InvoiceAssembler"/>, so a batch re-run and the stream apply one set of rules.
/// </summary>
internal static class CustomerBiller
{
    private static readonly IReadOnlyList<string> NoEventIds = [];

    public static List<MonthlyBill> Bill(ValidatedInput validated, CustomerRecords customer)
    {
        var input = validated.Input;
        var pricer = validated.Pricer;
        var invoices = new InvoiceAssembler(customer.DisplayId, customer.Name, trackRunningInstances: customer.Allocations.Count > 0);
        var lines = new List<PricedLine>(4);

        foreach (var index in customer.Usage)
        {
            // A usage row is a whole event: its session starts where the row starts. The instance ID is passed in the
            // form IDs are compared in, resolved once per distinct ID by the validator.
            var row = input.Usage[index];
            var usage = new InstanceUsage(NoEventIds, row.CustomerId, validated.UsageInstanceKeys[index], row.InstanceType, row.Region, row.Os, Pricing.OnDemand, row.From, row.From, row.Until);
            lines.Clear();
            pricer.PriceInstance(usage, lines);
            foreach (var line in lines)
            {
                invoices.AddUnchecked(line);
            }
        }

        foreach (var index in customer.Reserved)
        {
            var row = input.ReservedInstances[index];
            var term = new ReservedInstanceTerm(NoEventIds, row.CustomerId, row.InstanceId, row.InstanceType, row.Region, row.Os, BillingMonth.Of(row.StartDate), BillingMonth.Of(row.EndDate));
            foreach (var line in pricer.PriceReservation(term))
            {
                invoices.AddUnchecked(line);
            }
        }

        var attachment = 0;
        var heldIps = new HashSet<string>(StringComparer.Ordinal);
        foreach (var index in customer.Allocations)
        {
            var row = input.ElasticIpAllocations[index];
            var holding = new ElasticIpHolding(index.ToString(CultureInfo.InvariantCulture), NoEventIds, row.CustomerId, row.Region, row.IpAddress, row.From, row.Until, row.IsOwnIp);
            invoices.UpsertElasticIp(pricer.PriceElasticIp(holding));
            if (heldIps.Add(row.IpAddress) && validated.AssociationsByIp.TryGetValue(row.IpAddress, out var associations))
            {
                // Associations name an address, not a customer: the customer's holdings of the address decide what counts.
                foreach (var association in associations)
                {
                    invoices.UpsertElasticIpAttachment(new ElasticIpAttachment(
                        (attachment++).ToString(CultureInfo.InvariantCulture), NoEventIds, association.IpAddress, association.InstanceId, association.From, association.Until));
                }
            }
        }

        return invoices.AllBills();
    }

    /// <summary>Months in which a line or a total exceeds the largest billable amount (each row alone was checked by the validator).</summary>
    public static List<MonthIssue> AmountIssues(List<MonthlyBill> bills)
    {
        List<MonthIssue>? issues = null;
        foreach (var bill in bills)
        {
            var largest = LargestAmount(bill);
            if (largest is { } found)
            {
                (issues ??= []).Add(new MonthIssue(
                    bill.CustomerId,
                    bill.Month,
                    $"{found.What} {found.Amount.ToString(CultureInfo.InvariantCulture)} exceeds the largest billable amount {Money.MaxAmountText}"));
            }
        }

        return issues ?? [];
    }

    private static (string What, decimal Amount)? LargestAmount(MonthlyBill bill)
    {
        foreach (var line in bill.Lines)
        {
            if (Math.Abs(line.Amount) > Money.MaxAmount)
            {
                var region = line.Region.Length == 0 ? string.Empty : line.Region + " ";
                return ($"the {region}{line.InstanceType} {line.Pricing} line amount", line.Amount);
            }
        }

        foreach (var line in bill.ElasticIpLines)
        {
            if (Math.Abs(line.Amount) > Money.MaxAmount)
            {
                return ($"the Elastic IP {line.IpAddress} amount", line.Amount);
            }
        }

        // Line amounts within range can still add up to more (decimal itself is far away: every row is within range).
        var total = bill.TotalAmount;
        return Math.Abs(total) > Money.MaxAmount ? ("the total amount", total) : null;
    }
}
