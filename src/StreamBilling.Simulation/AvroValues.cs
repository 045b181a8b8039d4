using System.Numerics;
using Avro;

namespace StreamBilling.Simulation;

/// <summary>Conversions to the representations the generated Avro classes use.</summary>
internal static class AvroValues
{
    /// <summary>The schemas' quantity scale: decimal(24,9). The Avro writer rejects any other scale.</summary>
    public const int QuantityScale = 9;

    public static DateTime Time(DateTimeOffset value) => value.UtcDateTime;

    public static AvroDecimal Quantity(decimal value) =>
        new(new BigInteger(decimal.Round(value * 1_000_000_000m, MidpointRounding.AwayFromZero)), QuantityScale);
}
