namespace StreamBilling.Billing;

/// <summary>
/// A change to an already final bill, carried on a later bill: what the corrected month's line would now be, less what
/// was billed for it. Arises from usage that arrived after its month was closed; never a silent change to a final bill.
/// </summary>
/// <param name="CorrectsMonth">The closed month being corrected.</param>
/// <param name="Service">
/// What kind of line is corrected: <see cref="BillableService.Ec2"/> for an instance line of any pricing (reserved ones
/// too; <paramref name="Pricing"/> tells them apart), <see cref="BillableService.ElasticIp"/> for an Elastic IP line, or
/// the service of a service line.
/// </param>
/// <param name="Region">Region of the corrected line.</param>
/// <param name="Item">Instance type, IP address or usage type of the corrected line.</param>
/// <param name="Pricing">EC2 pricing of the corrected line (<c>OnDemand</c>, <c>Reserved</c>, <c>Spot</c>); empty otherwise.</param>
/// <param name="Quantity">Change of billed quantity (hours for EC2 and Elastic IPs).</param>
/// <param name="Unit">Unit of the quantity.</param>
/// <param name="Amount">Change of amount (may be negative).</param>
/// <param name="Discount">Change of discount (may be negative, e.g. free hours moving to an earlier late piece).</param>
public sealed record CorrectionLine(
    BillingMonth CorrectsMonth,
    BillableService Service,
    string Region,
    string Item,
    string Pricing,
    decimal Quantity,
    string Unit,
    decimal Amount,
    decimal Discount)
{
    /// <summary>The kind as bills print it: <c>EC2</c>, <c>Elastic IP</c> or the service name.</summary>
    public string Kind => KindText(Service);

    /// <summary>Change of amount less change of discount.</summary>
    public decimal ActualAmount => Amount - Discount;

    /// <summary>A kind as bills print it: <c>EC2</c>, <c>Elastic IP</c> or the service name.</summary>
    public static string KindText(BillableService service) => service switch
    {
        BillableService.Ec2 => "EC2",
        BillableService.ElasticIp => "Elastic IP",
        _ => service.ToString(),
    };
}
