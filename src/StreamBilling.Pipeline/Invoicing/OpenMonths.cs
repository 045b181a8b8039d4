using StreamBilling.Billing;
using StreamBilling.Billing.Invoicing;

namespace StreamBilling.Pipeline.Invoicing;

/// <summary>Which open months of a customer's invoices a change reaches.</summary>
internal static class OpenMonths
{
    /// <summary>Open months from <paramref name="first"/> (through <paramref name="last"/> when given) that have a bill.</summary>
    public static List<BillingMonth> From(InvoiceAssembler assembler, BillingMonth first, BillingMonth? last)
    {
        var months = assembler.Months.Where(m => m >= first && (last is null || m <= last.Value) && !assembler.IsClosed(m)).ToList();
        if (months.Count == 0 || months[0] != first)
        {
            // The first month may be closed (the change is a correction on the next open month) or have no bill yet.
            var target = first;
            while (assembler.IsClosed(target))
            {
                target = target.Next;
            }

            if (!months.Contains(target))
            {
                months.Insert(0, target);
            }
        }

        return months;
    }
}
