namespace StreamBilling.Streams.Tests;

public class WindowMathTests
{
    [Fact]
    public void Tumbling_RecordAtExactBoundary_BelongsToTheWindowStartingThere()
    {
        var windows = TimeWindows.OfSizeWithNoGrace(TimeSpan.FromHours(1));

        var (first, last) = windows.WindowStartsFor(T.At("2024-08-01T10:00:00Z"));

        Assert.Equal(T.At("2024-08-01T10:00:00Z"), first);
        Assert.Equal(first, last);
    }

    [Fact]
    public void Tumbling_RecordJustBeforeBoundary_BelongsToThePreviousWindow()
    {
        var windows = TimeWindows.OfSizeWithNoGrace(TimeSpan.FromHours(1));

        var (first, last) = windows.WindowStartsFor(T.At("2024-08-01T09:59:59.9999999Z"));

        Assert.Equal(T.At("2024-08-01T09:00:00Z"), first);
        Assert.Equal(first, last);
    }

    [Fact]
    public void Hopping_15MinutesBy1Minute_RecordFallsIn15Windows()
    {
        var windows = TimeWindows.Hopping(T.Min(15), T.Min(1), TimeSpan.Zero);

        var starts = windows.WindowsFor("k", T.At("2024-08-01T10:07:30Z"));

        Assert.Equal(15, starts.Count);
        Assert.Equal(T.At("2024-08-01T09:53:00Z"), starts[0].Start);
        Assert.Equal(T.At("2024-08-01T10:07:00Z"), starts[^1].Start);
        Assert.All(starts, w => Assert.True(w.Start <= T.At("2024-08-01T10:07:30Z") && T.At("2024-08-01T10:07:30Z") < w.End));
    }

    [Fact]
    public void Hopping_RecordAtExactBoundary_ExcludesTheWindowEndingThere()
    {
        var windows = TimeWindows.Hopping(TimeSpan.FromHours(3), T.Min(5), TimeSpan.Zero);

        var starts = windows.WindowsFor("k", T.At("2024-08-01T12:00:00Z"));

        Assert.Equal(36, starts.Count);
        Assert.Equal(T.At("2024-08-01T09:05:00Z"), starts[0].Start);
        Assert.Equal(T.At("2024-08-01T12:00:00Z"), starts[^1].Start);
    }

    [Fact]
    public void Hopping_SizeNotMultipleOfAdvance_EveryReturnedWindowContainsTheTime()
    {
        var windows = TimeWindows.Hopping(T.Min(10), T.Min(3), TimeSpan.Zero);
        var time = T.At("2024-08-01T00:06:59Z");

        var starts = windows.WindowsFor("k", time);

        Assert.Equal([T.At("2024-07-31T23:57:00Z"), T.At("2024-08-01T00:00:00Z"), T.At("2024-08-01T00:03:00Z"), T.At("2024-08-01T00:06:00Z")], starts.Select(w => w.Start));
    }

    [Fact]
    public void AlignDown_BeforeEpoch_FloorsTowardsNegativeInfinity()
    {
        var windows = TimeWindows.OfSizeWithNoGrace(TimeSpan.FromHours(1));

        var (first, _) = windows.WindowStartsFor(T.At("1969-12-31T23:30:00Z"));

        Assert.Equal(T.At("1969-12-31T23:00:00Z"), first);
    }

    [Fact]
    public void WindowStartsFor_NearMinValue_DoesNotUnderflow()
    {
        var windows = TimeWindows.Hopping(TimeSpan.FromHours(3), T.Min(5), TimeSpan.Zero);

        var starts = windows.WindowsFor("k", DateTimeOffset.MinValue.AddMinutes(7));

        Assert.NotEmpty(starts);
        Assert.All(starts, w => Assert.True(w.Start >= DateTimeOffset.MinValue));
    }

    [Fact]
    public void CloseTime_IsEndPlusGrace()
    {
        var windows = TimeWindows.OfSizeWithGrace(TimeSpan.FromHours(1), T.Min(10));

        Assert.Equal(T.At("2024-08-01T11:10:00Z"), windows.CloseTime(T.At("2024-08-01T10:00:00Z")));
        Assert.False(windows.IsClosed(T.At("2024-08-01T10:00:00Z"), T.At("2024-08-01T11:09:59Z")));
        Assert.True(windows.IsClosed(T.At("2024-08-01T10:00:00Z"), T.At("2024-08-01T11:10:00Z")));
    }

    [Fact]
    public void Hopping_AdvanceLargerThanSize_IsRejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => TimeWindows.Hopping(T.Min(1), T.Min(2), TimeSpan.Zero));

    [Fact]
    public void NegativeGrace_IsRejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => TimeWindows.OfSizeWithGrace(T.Min(1), TimeSpan.FromSeconds(-1)));
}
