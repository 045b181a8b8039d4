using System.Numerics;
using Avro;

namespace StreamBilling.Pipeline;

/// <summary>Conversions to and from the schemas' fixed-scale decimals (the Avro writer rejects any other scale).</summary>
internal static class AvroDecimals
{
    /// <summary>Scale of quantities: decimal(24,9).</summary>
    public const int QuantityScale = 9;

    /// <summary>Scale of money: decimal(18,6).</summary>
    public const int MoneyScale = 6;

    public static AvroDecimal Quantity(decimal value) => WithScale(value, QuantityScale);

    public static AvroDecimal Money(decimal value) => WithScale(value, MoneyScale);

    public static decimal ToDecimal(AvroDecimal value) => AvroDecimal.ToDecimal(value);

    private static AvroDecimal WithScale(decimal value, int scale)
    {
        var factor = scale == QuantityScale ? 1_000_000_000m : 1_000_000m;
        return new AvroDecimal(new BigInteger(decimal.Round(value * factor, MidpointRounding.AwayFromZero)), scale);
    }
}
