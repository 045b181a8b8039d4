using StreamBilling.Pipeline.Invoicing;

namespace StreamBilling.Api;

/// <summary>One line of an <see cref="InvoiceResponse"/>.</summary>
/// <param name="LineId">Deterministic id of the line within the invoice.</param>
/// <param name="Service">Service billed, e.g. <c>Ec2</c>.</param>
/// <param name="Region">AWS region code.</param>
/// <param name="ResourceType">Instance type, usage type or IP address the line is for.</param>
/// <param name="Description">Human-readable description (EC2: the pricing, e.g. <c>OnDemand</c>).</param>
/// <param name="ResourceCount">Number of distinct resources on the line.</param>
/// <param name="UsedSeconds">Total used time in seconds.</param>
/// <param name="BilledSeconds">Billed time in seconds after rounding up to whole hours; 0 when not time-based.</param>
/// <param name="Quantity">Billed quantity in <paramref name="Unit"/>.</param>
/// <param name="Unit">Unit of the quantity.</param>
/// <param name="Rate">Price per unit.</param>
/// <param name="Amount">Amount before discount.</param>
/// <param name="Discount">Free tier or other discount.</param>
/// <param name="ActualAmount">Amount minus discount.</param>
/// <param name="CorrectsMonth">Month (yyyy-MM) a correction line applies to; null on usage lines.</param>
internal sealed record InvoiceLineResponse(
    string LineId,
    string Service,
    string Region,
    string ResourceType,
    string Description,
    int ResourceCount,
    long UsedSeconds,
    long BilledSeconds,
    decimal Quantity,
    string Unit,
    decimal Rate,
    decimal Amount,
    decimal Discount,
    decimal ActualAmount,
    string? CorrectsMonth)
{
    public static InvoiceLineResponse From(InvoiceDocumentLine line) =>
        new(
            line.LineId,
            line.Service,
            line.Region,
            line.ResourceType,
            line.Description,
            line.ResourceCount,
            line.UsedSeconds,
            line.BilledSeconds,
            line.Quantity,
            line.Unit,
            line.Rate,
            line.Amount,
            line.Discount,
            line.ActualAmount,
            line.CorrectsMonth);
}
