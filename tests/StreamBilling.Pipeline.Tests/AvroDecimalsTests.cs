using System.Numerics;
using Avro;

namespace StreamBilling.Pipeline.Tests;

public class AvroDecimalsTests
{
    [Fact]
    public void ToDecimal_GivesApacheAvrosDigitsAndScale_ForRandomAndEdgeValues()
    {
        var random = new Random(5);
        var values = new List<AvroDecimal>
        {
            new(BigInteger.Zero, 6),
            new(new BigInteger(1_500_000), 6),
            new(new BigInteger(-1), 9),
            new(new BigInteger(decimal.MaxValue), 0),
            new(new BigInteger(decimal.MinValue), 0),
            new(new BigInteger(decimal.MaxValue), 28),
            new(BigInteger.Pow(2, 96) - 1, 3),
            new(-(BigInteger.Pow(2, 96) - 1), 3),
        };
        for (var i = 0; i < 2_000; i++)
        {
            var bytes = new byte[random.Next(1, 13)];
            random.NextBytes(bytes);
            values.Add(new AvroDecimal(new BigInteger(bytes), random.Next(0, 29)));
        }

        foreach (var value in values)
        {
            var expected = AvroDecimal.ToDecimal(value);
            var actual = AvroDecimals.ToDecimal(value);
            Assert.Equal(decimal.GetBits(expected), decimal.GetBits(actual));
        }
    }

    [Fact]
    public void ToDecimal_BeyondDecimal_FallsBackToApacheAvrosError()
    {
        var tooLarge = new AvroDecimal(BigInteger.Pow(2, 97), 2);

        Assert.Equal(
            Record.Exception(() => AvroDecimal.ToDecimal(tooLarge))?.GetType(),
            Record.Exception(() => AvroDecimals.ToDecimal(tooLarge))?.GetType());
    }
}
