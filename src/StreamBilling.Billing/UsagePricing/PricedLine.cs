using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace StreamBilling.Billing.UsagePricing;

/// <summary>
/// One priced piece of usage within one month (maps onto the <c>PricedLineItem</c> Avro record). Amount before free tier:
/// invoices add <see cref="Quantity"/> x <see cref="Rate"/> exactly and round once per invoice line.
/// </summary>
public sealed class PricedLine
{
    private string? _lineId;

    /// <summary>Events the line was computed from.</summary>
    public required IReadOnlyList<string> SourceEventIds { get; init; }

    /// <summary>Customer billed.</summary>
    public required string CustomerId { get; init; }

    /// <summary>Service.</summary>
    public required BillableService Service { get; init; }

    /// <summary>Region (empty when the input has none).</summary>
    public required string Region { get; init; }

    /// <summary>Instance, bucket, table, distribution, channel, job or recording.</summary>
    public required string ResourceId { get; init; }

    /// <summary>What was priced, e.g. <c>BoxUsage:t3.micro:Linux</c> (see <see cref="UsageTypes"/>).</summary>
    public required string UsageType { get; init; }

    /// <summary>Month the usage belongs to.</summary>
    public required BillingMonth Month { get; init; }

    /// <summary>Start of the priced usage (UTC, inclusive).</summary>
    public required DateTimeOffset UsageStart { get; init; }

    /// <summary>End of the priced usage (UTC, exclusive).</summary>
    public required DateTimeOffset UsageEnd { get; init; }

    /// <summary>Billed quantity in <see cref="Unit"/> (EC2: whole hours).</summary>
    public required decimal Quantity { get; init; }

    /// <summary>Hours, GB, GB-Months, Requests, RequestUnits or Minutes.</summary>
    public required string Unit { get; init; }

    /// <summary>Price per unit in force at the usage time.</summary>
    public required decimal Rate { get; init; }

    /// <summary>Currency of <see cref="Rate"/>.</summary>
    public required string Currency { get; init; }

    /// <summary>Rate card version the rate came from.</summary>
    public required string RateCardVersion { get; init; }

    /// <summary>EC2 and reserved lines only: type, OS, pricing, exact used time and free-tier facts.</summary>
    public InstanceLineDetail? Instance { get; init; }

    /// <summary>
    /// True for a volume-tier correction: when a later record moves the month into another volume tier, the units counted
    /// before it are re-priced by a pair of these lines (the units at the old tier's rate with a negative quantity, and at
    /// the new tier's rate), never by changing a line already published.
    /// </summary>
    public bool IsVolumeTierCorrection { get; init; }

    /// <summary>Quantity x rate, rounded half away from zero to 6 places (the Avro <c>amount</c>).</summary>
    public decimal Amount => Math.Round(Quantity * Rate, 6, MidpointRounding.AwayFromZero);

    /// <summary>
    /// Deterministic id: the same usage priced again (a replay) gets the same id, so invoices count it once. Built from
    /// the source event ids, service, resource, usage type, period and correction flag; a line read back from the stream
    /// is given the id it was published under.
    /// </summary>
    public string LineId
    {
        get => _lineId ??= ComputeLineId();
        init => _lineId = value;
    }

    private string ComputeLineId()
    {
        var text = new StringBuilder();
        text.Append(CustomerId).Append('|').Append(Service).Append('|').Append(ResourceId).Append('|').Append(UsageType).Append('|')
            .Append(UsageStart.UtcTicks.ToString(CultureInfo.InvariantCulture)).Append('|')
            .Append(UsageEnd.UtcTicks.ToString(CultureInfo.InvariantCulture));
        foreach (var id in SourceEventIds.Order(StringComparer.Ordinal))
        {
            text.Append('|').Append(id);
        }

        if (IsVolumeTierCorrection)
        {
            // A correction re-prices at the new tier over the same period as the figure that moved the tier.
            text.Append("|volume-tier-correction");
        }

        // 128 bits of SHA-256: stable across processes and versions of .NET, unlike string.GetHashCode.
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())).AsSpan(0, 16));
    }
}
