namespace StreamBilling.Billing;

/// <summary>The bill of one customer for one month.</summary>
/// <param name="CustomerId">Customer ID as printed (without <c>-</c>).</param>
/// <param name="CustomerName">Customer name.</param>
/// <param name="Month">The billed month.</param>
/// <param name="Lines">Instance lines, ordered by region, type, pricing.</param>
/// <param name="ElasticIpLines">Elastic IP lines, ordered by region, address; empty when none were held.</param>
/// <remarks>
/// Bills computed from the CSV input have instance and Elastic IP lines only; bills assembled from a stream may also
/// have <see cref="ServiceLines"/> and <see cref="Corrections"/>.
/// </remarks>
public sealed record MonthlyBill(
    string CustomerId,
    string CustomerName,
    BillingMonth Month,
    IReadOnlyList<BillLine> Lines,
    IReadOnlyList<ElasticIpLine> ElasticIpLines)
{
    /// <summary>Metered service lines (S3, DynamoDB, CDN, media), ordered by service, region, usage type.</summary>
    public IReadOnlyList<ServiceLine> ServiceLines { get; init; } = [];

    /// <summary>Corrections of earlier, already final months, ordered by month, kind, region, item, pricing.</summary>
    public IReadOnlyList<CorrectionLine> Corrections { get; init; } = [];

    /// <summary>All line amounts plus all Elastic IP, service and correction amounts.</summary>
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

            foreach (var line in ServiceLines)
            {
                total += line.Amount;
            }

            foreach (var line in Corrections)
            {
                total += line.Amount;
            }

            return total;
        }
    }

    /// <summary>All line discounts, corrections included.</summary>
    public decimal TotalDiscount
    {
        get
        {
            var total = 0m;
            foreach (var line in Lines)
            {
                total += line.Discount;
            }

            foreach (var line in Corrections)
            {
                total += line.Discount;
            }

            return total;
        }
    }

    /// <summary>Total amount less total discount.</summary>
    public decimal ActualAmount => TotalAmount - TotalDiscount;
}
