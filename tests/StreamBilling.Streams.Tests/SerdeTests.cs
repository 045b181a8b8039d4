namespace StreamBilling.Streams.Tests;

public class SerdeTests
{
    private static readonly SerdeContext Context = new("t", false);

    [Fact]
    public void Int64_IsBigEndianAndRoundTrips()
    {
        var bytes = Serdes.BigEndianInt64.Serialize(258, Context);

        Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 0, 1, 2 }, bytes);
        Assert.Equal(258, Serdes.BigEndianInt64.Deserialize(bytes, Context));
    }

    [Fact]
    public void Int32_RoundTrips() => Assert.Equal(-7, Serdes.BigEndianInt32.Deserialize(Serdes.BigEndianInt32.Serialize(-7, Context), Context));

    [Fact]
    public void String_NullIsTombstone() => Assert.Null(Serdes.Utf8.Serialize(null!, Context));

    [Fact]
    public void Json_RoundTripsRecords()
    {
        var serde = Serdes.Json<Usage>();

        var back = serde.Deserialize(serde.Serialize(new Usage("c1", 12.5m), Context), Context);

        Assert.Equal(new Usage("c1", 12.5m), back);
    }

    [Fact]
    public void Windowed_RoundTripsKeyAndBounds()
    {
        var serde = Serdes.Windowed(Serdes.Utf8);
        var window = new Windowed<string>("cust", T.At("2024-08-01T10:00:00Z"), T.At("2024-08-01T10:15:00Z"));

        Assert.Equal(window, serde.Deserialize(serde.Serialize(window, Context), Context));
    }

    [Fact]
    public void Default_PicksBuiltInsAndJson()
    {
        Assert.Same(Serdes.Utf8, Serdes.Default<string>());
        Assert.Same(Serdes.BigEndianInt64, Serdes.Default<long>());
        Assert.Equal(new Usage("x", 1m), Serdes.Default<Usage>().Deserialize(Serdes.Default<Usage>().Serialize(new Usage("x", 1m), Context), Context));
    }

    private sealed record Usage(string Customer, decimal Quantity);
}
