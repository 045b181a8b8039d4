using System.Text.Json.Serialization;

namespace StreamBilling.Billing.UsagePricing;

/// <summary>What the invoice rules need to know about an EC2 (or reserved) priced line.</summary>
/// <param name="InstanceType">Instance type.</param>
/// <param name="Os">Operating system (selects the free-tier allowance).</param>
/// <param name="Pricing">On-demand, spot or reserved.</param>
/// <param name="UsedTime">Exact time used in the line's period (reserved: the whole month).</param>
/// <param name="PieceStart">
/// Start of the month piece the line belongs to (session start or month start, whichever is later): free hours go to
/// pieces in this order, so every slice of one piece carries the same value.
/// </param>
/// <param name="FreeTierEligible">On-demand usage of the region's free-tier type under the rate card in force.</param>
public sealed record InstanceLineDetail(
    string InstanceType,
    InstanceOs Os,
    Pricing Pricing,
    TimeSpan UsedTime,
    DateTimeOffset PieceStart,
    bool FreeTierEligible)
{
    /// <summary>
    /// Billed seconds of the line when the instance is billed per second (<see cref="RateCards.InstanceBilling.PerSecond"/>;
    /// the line's quantity is then these seconds in hours); <see langword="null"/> for lines billed in started hours.
    /// </summary>
    /// <remarks>Left out of JSON when null, so state written for hourly lines keeps the bytes it had before the field existed.</remarks>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? BilledSeconds { get; init; }
}
