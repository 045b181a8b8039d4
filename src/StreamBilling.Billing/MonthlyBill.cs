namespace StreamBilling.Billing;

/// <summary>The bill of one customer for one month.</summary>
/// <param name="CustomerId">Customer ID as printed (without <c>-</c>).</param>
/// <param name="CustomerName">Customer name.</param>
/// <param name="Month">The billed month.</param>
/// <param name="Lines">Instance lines, ordered by region, type, pricing.</param>
/// <param name="ElasticIpLines">Elastic IP lines, ordered by region, address; empty when none were held.</param>
public sealed record MonthlyBill(
    string CustomerId,
    string CustomerName,
    BillingMonth Month,
    IReadOnlyList<BillLine> Lines,
    IReadOnlyList<ElasticIpLine> ElasticIpLines)
{
    /// <summary>All line amounts plus all Elastic IP amounts.</summary>
    public decimal TotalAmount
    {
        get
        {
            var total = 0m;
            foreach (var line in Lines)
            {
                total += line.Amount;
            }

            foreach (var line in ElasticIpLines)
            {
                total += line.Amount;
            }

            return total;
        }
    }

    /// <summary>All line discounts.</summary>
    public decimal TotalDiscount
    {
        get
        {
            var total = 0m;
            foreach (var line in Lines)
            {
                total += line.Discount;
            }

            return total;
        }
    }

    /// <summary>Total amount less total discount.</summary>
    public decimal ActualAmount => TotalAmount - TotalDiscount;
}
