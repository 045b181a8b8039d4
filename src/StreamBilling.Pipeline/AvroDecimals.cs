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

    private const int MaxLongScale = 18;

    private static readonly long[] PowersOfTen = PowersOfTenUpTo(MaxLongScale);

    public static AvroDecimal Quantity(decimal value) => WithScale(value, QuantityScale);

    public static AvroDecimal Money(decimal value) => WithScale(value, MoneyScale);

    public static decimal ToDecimal(AvroDecimal value)
    {
        // Apache.Avro's conversion (IConvertible, BigInteger powers and division) does this same decimal arithmetic;
        // for unscaled values that fit a long it is done here on longs, giving the same digits and scale.
        var scale = value.Scale;
        var unscaled = value.UnscaledValue;
        if (scale > MaxLongScale || unscaled < long.MinValue || unscaled > long.MaxValue)
        {
            return AvroDecimal.ToDecimal(value);
        }

        var raw = (long)unscaled;
        var divisor = PowersOfTen[scale];
        return (decimal)(raw / divisor) + ((decimal)(raw % divisor) / divisor);
    }

    private static long[] PowersOfTenUpTo(int exponent)
    {
        var powers = new long[exponent + 1];
        powers[0] = 1;
        for (var i = 1; i <= exponent; i++)
        {
            powers[i] = powers[i - 1] * 10;
        }

        return powers;
    }

    private static AvroDecimal WithScale(decimal value, int scale)
    {
        var factor = scale == QuantityScale ? 1_000_000_000m : 1_000_000m;
        return new AvroDecimal(new BigInteger(decimal.Round(value * factor, MidpointRounding.AwayFromZero)), scale);
    }
}
