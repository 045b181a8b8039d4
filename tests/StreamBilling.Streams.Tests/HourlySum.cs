namespace StreamBilling.Streams.Tests;

/// <summary>A topology the runtime-guard tests share: <c>usage</c> (string → long) summed per key in hourly windows into <c>sums-out</c>.</summary>
internal static class HourlySum
{
    public static readonly ISerde<Windowed<string>> WindowedKeys = Serdes.Windowed(Serdes.Utf8);

    public static Topology Build(string app, EmitStrategy emit = EmitStrategy.OnUpdate)
    {
        var builder = new StreamsBuilder(app);
        builder.Stream<string, long>("usage")
            .GroupByKey()
            .WindowedBy(TimeWindows.OfSizeWithNoGrace(TimeSpan.FromHours(1)))
            .Aggregate(() => 0L, (_, v, sum) => sum + v, new WindowedAggregateOptions<long> { StoreName = "sums", EmitStrategy = emit })
            .To("sums-out", WindowedKeys, Serdes.BigEndianInt64);
        return builder.Build();
    }
}
